/**
 * Consent to processing (152-FZ): per core customer, given or withdrawn, when and by whom
 * ({@code privacy.consent}); customers without a row count as {@code hub.consent.default-given}.
 * {@code privacy.unconsented} names whom the night leaves unscored and the warehouse unexported.
 */
package ru.svoykrug.hub.privacy;
