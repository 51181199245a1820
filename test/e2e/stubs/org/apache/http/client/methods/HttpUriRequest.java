package org.apache.http.client.methods;

public interface HttpUriRequest {
}
