package org.apache.http.util;

import java.io.IOException;
import org.apache.http.HttpEntity;
import org.apache.http.ParseException;

public final class EntityUtils {
    private EntityUtils() {
    }

    public static String toString(HttpEntity entity) throws IOException, ParseException {
        throw new UnsupportedOperationException("stub");
    }

    public static void consume(HttpEntity entity) throws IOException {
    }
}
