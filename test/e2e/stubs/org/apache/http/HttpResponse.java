package org.apache.http;

public interface HttpResponse {
    StatusLine getStatusLine();

    HttpEntity getEntity();
}
