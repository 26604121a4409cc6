/**
 * The audit of personal data: who read or changed whose data, which fields, through which endpoint or job,
 * and when ({@code audit.entry}, append-only: the database refuses any UPDATE and any DELETE but the
 * retention job's). {@link ru.svoykrug.hub.audit.AuditTrail} records; {@code GET /api/v1/ops/audit} reads.
 * A sync's changes are recorded by triggers on staging (V21), not here.
 */
package ru.svoykrug.hub.audit;
