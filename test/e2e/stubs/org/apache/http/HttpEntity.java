package org.apache.http;

public interface HttpEntity {
    java.io.InputStream getContent() throws java.io.IOException;
}
