package org.apache.http.impl.client;

public final class HttpClients {
    private HttpClients() {
    }

    public static CloseableHttpClient createDefault() {
        throw new UnsupportedOperationException("stub");
    }
}
