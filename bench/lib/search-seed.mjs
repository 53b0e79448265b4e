// The `search` scenario's data and SQL: `total` sessions spread over four owners, varied `plan_data`.
// Bulk load without the JSONB indexes, then each rebuilt once from its own definition (much
// faster than maintaining a GIN per row), then VACUUM ANALYZE: a vacuumed table (hint bits and
// visibility map set), so the measured reads do not dirty and write the fresh pages, and where
// autovacuum is on it does not take up the fresh rows during a measurement.
export async function seedSearchSessions(pool, ownerIds, total) {
  const { rows: indexes } = await pool.query(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE tablename = 'unified_travel_sessions' AND indexname NOT LIKE 'pk_%'`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.indexname}"`);
  await pool.query(
    `INSERT INTO unified_travel_sessions (user_id, title, status, plan_data, session_data, created_at, updated_at, last_activity_at)
     SELECT ($1::uuid[])[1 + g % 4],
            'Trip ' || g,
            (CASE WHEN g % 10 = 0 THEN 'archived' ELSE 'active' END)::session_status,
            jsonb_build_object(
              'destinationCity', 'City-' || (g % 997),
              'destinationCountry', (ARRAY['PT','ES','FR','IT','JP','US','BR','IN'])[1 + g % 8],
              'startDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
              'travelers', 1 + g % 6,
              'tags', jsonb_build_array((ARRAY['beach','museums','food','hiking','nightlife','family','ski'])[1 + g % 7],
                                        (ARRAY['budget','luxury','slow','weekend','roadtrip'])[1 + g % 5]),
              'totalBudget', jsonb_build_object('amountMinor', (g % 5000) * 100, 'currency', 'EUR')),
            '{}'::jsonb,
            now() - g * interval '1 second', now() - g * interval '1 second', now() - g * interval '1 second'
       FROM generate_series(1, $2::int) AS g`,
    [ownerIds, total],
  );
  for (const index of indexes) await pool.query(index.indexdef);
  await pool.query('VACUUM ANALYZE unified_travel_sessions');
}

// The route's search (src/modules/sessions/session-list.ts): containment asked of the plan keyed
// by its owner, the expression of idx_unified_travel_sessions_owner_plan_gin.
export const SEARCH_SQL = `SELECT s.id, s.user_id, s.status, s.title, s.plan_data, s.session_metadata, s.version,
       s.created_at, s.updated_at, s.last_activity_at
  FROM unified_travel_sessions s
 WHERE s.user_id = $1 AND s.status <> 'archived'
   AND jsonb_set('{}'::jsonb, ARRAY[CAST(s.user_id AS text)], s.plan_data)
       @> jsonb_set('{}'::jsonb, ARRAY[CAST(CAST($1 AS uuid) AS text)], $2::jsonb)
 ORDER BY s.updated_at DESC, s.id DESC LIMIT 21`;
// The same question written plainly: the sequential-scan reference (the cheaper of the two
// forms to scan: no per-row jsonb_set) and the SQL of builds before the owner-keyed index.
export const PLAIN_SEARCH_SQL = `SELECT s.id, s.user_id, s.status, s.title, s.plan_data, s.session_metadata, s.version,
       s.created_at, s.updated_at, s.last_activity_at
  FROM unified_travel_sessions s
 WHERE s.user_id = $1 AND s.status <> 'archived' AND s.plan_data @> $2::jsonb
 ORDER BY s.updated_at DESC, s.id DESC LIMIT 21`;
