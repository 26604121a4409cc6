package ru.svoykrug.hub.infra.web;

import org.springframework.http.HttpStatus;

/** A title and a detail for a status alone, for errors whose cause must not be repeated to the client. */
public final class ErrorTitles {

    private ErrorTitles() {
    }

    /** The methods the API knows; any other is a 405 naming these, not Tomcat's 501: the client's error, not the hub's. */
    public static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    public static boolean knownMethod(String method) {
        return java.util.Arrays.asList(ALLOWED_METHODS.split(", ")).contains(method);
    }

    /** The status the client sees: a method the hub does not implement is the client's error (405), never a 5xx. */
    public static int clientFacing(int status) {
        return status == 501 ? 405 : status;
    }

    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error " + status : known.getReasonPhrase();
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP for this API: its path, query, headers or body cannot be read";
            case 401 -> "A valid bearer token is required";
            case 403 -> "The token's role does not allow this request";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed here";
            case 406 -> "The API answers application/json or application/problem+json only";
            case 413, 414, 431 -> "The request is too large";
            case 415 -> "The API reads application/json only";
            default -> status >= 500 ? "The hub could not answer this request; the error is in its log" : "The request was refused";
        };
    }
}
