package org.apache.http.client.methods;

public interface CloseableHttpResponse extends org.apache.http.HttpResponse, java.io.Closeable {
}
