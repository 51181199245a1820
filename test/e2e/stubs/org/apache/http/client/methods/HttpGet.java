package org.apache.http.client.methods;

public class HttpGet implements HttpUriRequest {
    public HttpGet(String uri) {
    }
}
