package org.apache.http.impl.client;

import java.io.IOException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

public abstract class CloseableHttpClient implements java.io.Closeable {
    public abstract CloseableHttpResponse execute(HttpUriRequest request) throws IOException, ClientProtocolException;
}
