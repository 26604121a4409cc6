package ru.svoykrug.hub.partners;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a connection of each system needs in its settings and credentials, checked before anything is
 * stored, with one message per field that names it and says what is expected. The names are those the
 * connectors read ({@code connect/<system>}, {@code routes/<system>.yaml}); a field a connector reads with
 * a default is optional here and checked only for its shape.
 */
final class SystemSettings {

    static final Set<String> SYSTEMS = Set.of("yclients", "amocrm", "iiko", "onec", "renovatio", "bitrix24", "file");

    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\[\\]]{0,63}");
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> POSITIVE_INTEGERS = Set.of("pageSize", "requestsPerSecond", "requestsPerMinute", "overlapMinutes",
            "rollingDays", "windowDays", "runTimeoutSeconds", "chunkMinutes", "fallbackLookBackHours",
            "tokenLifetimeMinutes", "revisionMaxAgeMinutes", "refreshAheadSeconds");
    private static final int MAX_VALUE = 500;

    private SystemSettings() {
    }

    /**
     * The problems of a connection's settings and credentials, none when it may be stored. {@code settings}
     * may be completed here: an amoCRM {@code subdomain} becomes its {@code baseUrl}.
     */
    static List<String> problems(String system, Map<String, String> settings, Map<String, String> credentials) {
        List<String> problems = new ArrayList<>();
        if (!SYSTEMS.contains(system)) {
            problems.add("system: expected one of " + String.join(", ", SYSTEMS.stream().sorted().toList()));
            return problems;
        }
        shapes(settings, "settings", problems);
        shapes(credentials, "credentials", problems);
        if (!problems.isEmpty()) {
            return problems;
        }
        if (!"file".equals(system)) {
            baseUrl(settings, problems);
        }
        switch (system) {
            case "yclients" -> {
                digits(settings, "companyId", true, "the YCLIENTS company (branch) id, digits", problems);
                required(credentials, problems, "partnerToken", "userToken");
            }
            case "amocrm" -> amocrmCredentials(credentials, problems);
            case "iiko" -> {
                String ids = settings.get("organizationIds");
                if (ids != null) {
                    for (String id : ids.split(",")) {
                        if (!UUID.matcher(id.trim()).matches()) {
                            problems.add("settings.organizationIds: expected iiko organization ids (UUIDs), comma-separated");
                            break;
                        }
                    }
                }
                required(credentials, problems, "apiLogin");
            }
            case "onec" -> required(credentials, problems, "user", "password");
            case "renovatio" -> {
                digits(settings, "clinicId", false, "the Renovatio clinic id, digits", problems);
                required(credentials, problems, "apiKey");
            }
            case "bitrix24" -> required(credentials, problems, "userId", "webhookCode");
            case "file" -> {
                String folder = settings.get("folder");
                if (folder == null || !FOLDER.matcher(folder).matches()) {
                    problems.add("settings.folder: expected the name of the connection's drop folder under the hub's "
                            + "file-drop root (letters, digits, '.', '_', '-', up to 64)");
                }
            }
            default -> {
            }
        }
        for (String name : POSITIVE_INTEGERS) {
            String value = settings.get(name);
            if (value != null && (!DIGITS.matcher(value).matches() || value.length() > 9)) {
                problems.add("settings." + name + ": expected a positive whole number");
            }
        }
        historyFrom(settings.get("historyFrom"), problems);
        return problems;
    }

    private static void shapes(Map<String, String> values, String what, List<String> problems) {
        values.forEach((key, value) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                problems.add(what + ": a name must be letters and digits, up to 64 characters");
            } else if (value == null || value.isBlank() || value.length() > MAX_VALUE) {
                problems.add(what + "." + key + ": expected a value of 1 to " + MAX_VALUE + " characters");
            }
        });
    }

    private static void baseUrl(Map<String, String> settings, List<String> problems) {
        String subdomain = settings.get("subdomain");
        if (subdomain != null) {
            if (!SUBDOMAIN.matcher(subdomain).matches()) {
                problems.add("settings.subdomain: expected the amoCRM account's subdomain (the 'x' of x.amocrm.ru)");
                return;
            }
            if (!settings.containsKey("baseUrl")) {
                settings.put("baseUrl", "https://" + subdomain + ".amocrm.ru");
            }
        }
        String url = settings.get("baseUrl");
        if (url == null) {
            problems.add("settings.baseUrl: expected the system's address, http:// or https://");
            return;
        }
        try {
            java.net.URI uri = java.net.URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                problems.add("settings.baseUrl: expected an http:// or https:// address with a host, no query and no login");
            }
        } catch (IllegalArgumentException e) {
            problems.add("settings.baseUrl: expected an http:// or https:// address");
        }
    }

    private static void amocrmCredentials(Map<String, String> credentials, List<String> problems) {
        boolean longLived = credentials.containsKey("longLivedToken");
        boolean refresh = credentials.containsKey("refreshToken");
        boolean code = credentials.containsKey("authorizationCode");
        if (!longLived && !refresh && !code) {
            problems.add("credentials: expected longLivedToken (a private integration), refreshToken, or clientId, "
                    + "clientSecret, redirectUri and authorizationCode");
        } else if (!longLived) {
            required(credentials, problems, "clientId", "clientSecret", "redirectUri");
        }
    }

    private static void required(Map<String, String> credentials, List<String> problems, String... names) {
        for (String name : names) {
            if (!credentials.containsKey(name)) {
                problems.add("credentials." + name + ": required");
            }
        }
    }

    private static void digits(Map<String, String> settings, String name, boolean required, String expected, List<String> problems) {
        String value = settings.get(name);
        if (value == null ? required : !DIGITS.matcher(value).matches()) {
            problems.add("settings." + name + ": expected " + expected);
        }
    }

    private static void historyFrom(String value, List<String> problems) {
        if (value == null) {
            return;
        }
        try {
            if (value.length() == 10) {
                LocalDate.parse(value);
            } else {
                OffsetDateTime.parse(value);
            }
        } catch (DateTimeParseException e) {
            problems.add("settings.historyFrom: expected an ISO date (2015-01-01) or an instant with an offset");
        }
    }
}
