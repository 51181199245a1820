package org.apache.http.client;

public class ClientProtocolException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
}
