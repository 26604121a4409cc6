package ru.svoykrug.hub.analytics;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The public CDNOW purchase logs, kept in the test resources ({@code cdnow/README.md} says where they come from). */
public final class CdnowFiles {

    /** 6,919 purchases of 2,357 customers: master id, sample id, date, CDs, dollars; no header. */
    public static final Path SAMPLE = resource("cdnow/CDNOW_sample.txt");
    /** 69,659 purchases of 23,570 customers: customer id, date, CDs, dollars; one header line. */
    public static final Path MASTER = resource("cdnow/CDNOW_master.txt");

    private CdnowFiles() {
    }

    private static Path resource(String name) {
        URL url = CdnowFiles.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not in the test resources");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
