/**
 * Retention: sync runs, dead letters and audit entries are kept for their periods ({@code hub.retention.*}),
 * then removed by a Quartz job on the clustered schedule ({@code hub.retention.schedule}, daily).
 */
package ru.svoykrug.hub.retention;
