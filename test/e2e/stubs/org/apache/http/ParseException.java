package org.apache.http;

public class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
}
