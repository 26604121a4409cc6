-- Step 2a: staged sales, with their customer resolved and their local purchase day, as core.purchase.
-- A sale only a completed one earns; refunds come from negative payments that name the sale.
-- Parameters: :business_date (sales after the business day are left for a later night).
INSERT INTO core.purchase AS p (connection_id, source_id, customer_id, occurred_at, purchase_day, amount_kopecks,
                                refunded_kopecks, completed)
SELECT s.connection_id, s.source_id, coalesce(c.merged_into, c.id), s.occurred_at,
       (s.occurred_at AT TIME ZONE s.zone)::date, s.amount_kopecks,
       least(s.amount_kopecks, coalesce(r.refunded, 0)),
       s.status = 'COMPLETED' AND s.kind = 'SALE'
  FROM staging.sale s
  JOIN core.customer_link l
    ON l.connection_id = s.connection_id AND l.customer_key = coalesce(s.customer_source_id, 'phone:' || s.phone_e164)
  JOIN core.customer c ON c.id = l.customer_id
  LEFT JOIN (
      SELECT connection_id, sale_source_id, -sum(amount_kopecks) AS refunded
        FROM staging.payment
       WHERE amount_kopecks < 0 AND NOT deleted AND sale_source_id IS NOT NULL
       GROUP BY connection_id, sale_source_id
  ) r ON r.connection_id = s.connection_id AND r.sale_source_id = s.source_id
 WHERE (s.occurred_at AT TIME ZONE s.zone)::date <= CAST(:business_date AS date)
ON CONFLICT (connection_id, source_id) DO UPDATE
   SET customer_id = EXCLUDED.customer_id, occurred_at = EXCLUDED.occurred_at, purchase_day = EXCLUDED.purchase_day,
       amount_kopecks = EXCLUDED.amount_kopecks, refunded_kopecks = EXCLUDED.refunded_kopecks, completed = EXCLUDED.completed
 WHERE (p.customer_id, p.occurred_at, p.amount_kopecks, p.refunded_kopecks, p.completed)
       IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.occurred_at, EXCLUDED.amount_kopecks, EXCLUDED.refunded_kopecks,
                         EXCLUDED.completed);
