/**
 * Locks on every door: signed JWTs (an OAuth2 resource server) with the roles {@code OPS}, {@code PARTNER}
 * and {@code CUSTOMER}, the rule of each path, the hub's own signing key and demo tokens, and the answers
 * (problem+json) to what is refused before a controller runs.
 *
 * <p>The token contract: {@code sub} (a customer's core id as a decimal string), {@code roles} (a JSON
 * array of {@code "OPS"}, {@code "PARTNER"}, {@code "CUSTOMER"}), {@code partner} (the partner id, for
 * {@code PARTNER}), {@code exp}, {@code iat}, {@code iss} ({@code svoy-krug-hub} for the hub's own key).
 * Authorities are {@code ROLE_OPS}, {@code ROLE_PARTNER}, {@code ROLE_CUSTOMER}.
 */
package ru.svoykrug.hub.security;
