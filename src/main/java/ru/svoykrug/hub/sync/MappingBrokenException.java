package ru.svoykrug.hub.sync;

/**
 * Most records of a stream were rejected in one run: the vendor's format has probably changed. The run
 * ends FAILED with error class {@value #ERROR_CLASS} rather than a PARTIAL that would repeat every run.
 */
public class MappingBrokenException extends RuntimeException {

    public static final String ERROR_CLASS = "MAPPING_BROKEN";

    public MappingBrokenException(String stream, long rejected, long read) {
        super(rejected + " of " + read + " records of " + stream + " could not be mapped in this run: the vendor's format "
                + "has probably changed; see the dead letters for the failing fields", null, false, false);
    }
}
