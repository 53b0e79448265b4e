-- Realistic volumes for test/e2e/indexes-sql.e2e-spec.ts (ANALYZEd after loading): 20k users
-- (1 % erased), 63k planning sessions (8 % abandoned or archived, plus one heavy planner),
-- 40k bookings (pending is transient: 0.1 %), 40k travel documents (5 % pending), 60k audit events, 10k privacy requests,
-- 82k consent events, 20k cancellation quotes (1 % claimed but unrecorded).
INSERT INTO users (email, full_name, status, roles, created_at, updated_at)
SELECT 'seed' || i || '@example.test', 'Seed ' || i,
       (CASE WHEN i % 100 = 0 THEN 'deleted' WHEN i % 50 = 1 THEN 'suspended' ELSE 'active' END)::user_status,
       ARRAY['user'], now() - (i || ' minutes')::interval, now() - ((i % 5000) || ' hours')::interval
  FROM generate_series(1, 20000) AS i;
INSERT INTO users (email, full_name, roles) VALUES ('heavy@example.test', 'Heavy Planner', ARRAY['user']);
CREATE TEMP TABLE seed_users AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE email LIKE 'seed%';
-- One user who plans a lot: 3,000 sessions (4 % archived).
INSERT INTO unified_travel_sessions (user_id, status, updated_at, last_activity_at)
SELECT u.id, (CASE WHEN i % 25 = 0 THEN 'archived' ELSE 'planning' END)::session_status,
       now() - (i || ' hours')::interval, now() - (i || ' hours')::interval
  FROM generate_series(1, 3000) AS i, users u WHERE u.email = 'heavy@example.test';
INSERT INTO unified_travel_sessions (user_id, status, created_at, updated_at, last_activity_at)
SELECT u.id,
       (CASE WHEN i % 25 = 0 THEN 'archived' WHEN i % 25 = 1 THEN 'abandoned' WHEN i % 5 = 2 THEN 'completed' WHEN i % 5 = 3 THEN 'planning' ELSE 'active' END)::session_status,
       now() - (i || ' minutes')::interval, now() - ((i % 900) || ' days')::interval, now() - ((i % 900) || ' days')::interval
  FROM generate_series(1, 60000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO bookings (user_id, reference, booking_type, status, provider, currency, total_amount_minor, base_amount_minor, taxes_amount_minor, fees_amount_minor, travel_start_date, travel_end_date, created_at)
SELECT u.id, 'SEED' || i, 'hotel', (CASE WHEN i % 10 = 0 THEN 'cancelled' WHEN i % 1000 = 1 THEN 'pending' ELSE 'confirmed' END)::booking_status,
       'sandbox', 'EUR', 10000, 9000, 800, 200, current_date + i % 300, current_date + i % 300 + 3, now() - (i || ' minutes')::interval
  FROM generate_series(1, 40000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO travelers (user_id, first_name, last_name, created_at)
SELECT u.id, 'T' || i, 'Seed', now() - (i || ' minutes')::interval
  FROM generate_series(1, 10000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO user_documents (user_id, document_type, number_ciphertext, number_index, number_masked, issuing_country, holder_name, status, created_at)
SELECT u.id, 'passport', 'x', md5(i::text), '****' || i % 10000, 'PT', 'Seed ' || i,
       (CASE WHEN i % 20 = 0 THEN 'pending' ELSE 'verified' END)::document_status, now() - (i || ' minutes')::interval
  FROM generate_series(1, 20000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO traveler_documents (traveler_id, document_type, number_ciphertext, number_index, number_masked, issuing_country, holder_name, status, created_at)
SELECT t.id, 'passport', 'x', md5(i::text), '****' || i % 10000, 'PT', 'Seed ' || i,
       (CASE WHEN i % 20 = 0 THEN 'pending' ELSE 'verified' END)::document_status, now() - (i || ' minutes')::interval
  FROM generate_series(1, 20000) AS i JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM travelers) t ON t.n = 1 + i % 10000;
INSERT INTO audit_events (actor_id, actor_roles, action, subject_id, resource_type, occurred_at)
SELECT u.id, ARRAY['admin'], (ARRAY['document.list','booking.read','user.read','consent_chain.verify'])[1 + i % 4], u.id, 'booking', now() - (i || ' seconds')::interval
  FROM generate_series(1, 60000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO privacy_requests (type, channel, subject_id, status, received_at, due_at)
SELECT (CASE WHEN i % 3 = 0 THEN 'erasure' ELSE 'access' END)::privacy_request_type, 'self_service', u.id, 'completed', now() - (i || ' hours')::interval, now() - (i || ' hours')::interval + interval '30 days'
  FROM generate_series(1, 10000) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO consent_events (subject_id, purpose, notice_version, text_sha256, decision, occurred_at, source, seq, hash)
SELECT u.id, (ARRAY['travel_planning','travel_documents','travel_booking','marketing'])[1 + (i / 20000) % 4]::consent_purpose, 1, repeat('a', 64),
       'granted', now() - (i || ' minutes')::interval, 'api', 1 + i / 20000, repeat('b', 64)
  FROM generate_series(0, 79999) AS i JOIN seed_users u ON u.n = 1 + i % 20000;
INSERT INTO booking_cancellation_quotes (booking_id, booking_version, refund_amount_minor, penalty_amount_minor, currency, expires_at, used_at, recorded_at)
SELECT b.id, 1, 100, 0, 'EUR', now() + interval '1 hour', now() - (i || ' minutes')::interval,
       CASE WHEN i % 100 = 0 THEN NULL ELSE now() END
  FROM generate_series(1, 20000) AS i JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM bookings) b ON b.n = i;
-- The heavy planner's own data: bookings, travelers, documents, consent history.
INSERT INTO bookings (user_id, reference, booking_type, status, provider, currency, total_amount_minor, base_amount_minor, taxes_amount_minor, fees_amount_minor, travel_start_date, travel_end_date, created_at)
SELECT u.id, 'HEAVY' || i, 'flight', (CASE WHEN i % 10 = 0 THEN 'cancelled' WHEN i % 100 = 5 THEN 'pending' ELSE 'confirmed' END)::booking_status,
       'sandbox', 'EUR', 10000, 9000, 800, 200, current_date - 1500 + i, current_date - 1500 + i + 3, now() - (i || ' hours')::interval
  FROM generate_series(1, 3000) AS i, users u WHERE u.email = 'heavy@example.test';
INSERT INTO travelers (user_id, first_name, last_name, created_at)
SELECT u.id, 'H' || i, 'Heavy', now() - (i || ' hours')::interval
  FROM generate_series(1, 500) AS i, users u WHERE u.email = 'heavy@example.test';
INSERT INTO user_documents (user_id, document_type, number_ciphertext, number_index, number_masked, issuing_country, holder_name, status, created_at)
SELECT u.id, 'visa', 'x', md5('heavy' || i), '****', 'PT', 'Heavy Planner', 'verified', now() - (i || ' hours')::interval
  FROM generate_series(1, 500) AS i, users u WHERE u.email = 'heavy@example.test';
INSERT INTO consent_events (subject_id, purpose, notice_version, text_sha256, decision, occurred_at, source, seq, hash)
SELECT u.id, (ARRAY['travel_planning','travel_documents','travel_booking','marketing'])[1 + i % 4]::consent_purpose, 1, repeat('a', 64),
       (CASE WHEN i % 2 = 0 THEN 'granted' ELSE 'withdrawn' END)::consent_decision, now() - ((2000 - i) || ' minutes')::interval, 'api', i, repeat('b', 64)
  FROM generate_series(1, 2000) AS i, users u WHERE u.email = 'heavy@example.test';
-- Device sessions (2 per user, 300 for the heavy planner), one-time tokens, ledger entries, saved
-- items, session ↔ booking links, document reviews, and one traveler with many documents.
INSERT INTO refresh_sessions (user_id, secret_hash, rotated_at, method, last_used_at, idle_expires_at, absolute_expires_at, created_at)
SELECT u.id, md5(u.id::text || g), now(), 'password', now(), now() + ((g % 3 - 1) || ' days')::interval, now() + interval '30 days', now() - (g || ' hours')::interval
  FROM users u, generate_series(1, 2) AS g;
INSERT INTO refresh_sessions (user_id, secret_hash, rotated_at, method, last_used_at, idle_expires_at, absolute_expires_at, created_at)
SELECT u.id, md5('heavy' || g), now(), 'password', now(), now() + interval '1 day', now() + interval '30 days', now() - (g || ' hours')::interval
  FROM users u, generate_series(1, 300) AS g WHERE u.email = 'heavy@example.test';
INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at, used_at)
SELECT u.id, (ARRAY['email_verification','password_reset','mfa_challenge'])[1 + g]::one_time_token_purpose, md5(u.id::text || g), now() + interval '1 hour',
       CASE WHEN g = 0 THEN now() END
  FROM users u, generate_series(0, 2) AS g;
INSERT INTO booking_ledger (booking_id, kind, amount_minor, currency, description, created_at)
SELECT id, 'charge', total_amount_minor, currency, 'Charge', created_at FROM bookings;
INSERT INTO booking_ledger (booking_id, kind, amount_minor, currency, description, created_at)
SELECT b.id, 'refund', 10, 'EUR', 'Partial refund ' || g, now() - (g || ' minutes')::interval
  FROM (SELECT id FROM bookings WHERE reference = 'HEAVY1') b, generate_series(1, 300) AS g;
INSERT INTO booking_events (booking_id, type, source, created_at)
SELECT id, 'booking.created', 'user', created_at FROM bookings;
INSERT INTO booking_events (booking_id, type, source, created_at)
SELECT b.id, 'booking.schedule_changed', 'provider', now() - (g || ' minutes')::interval
  FROM (SELECT id FROM bookings WHERE reference = 'HEAVY1') b, generate_series(1, 300) AS g;
INSERT INTO unified_saved_items (session_id, item_type, title, created_at)
SELECT id, 'hotel', 'Hotel', created_at FROM unified_travel_sessions;
INSERT INTO unified_saved_items (session_id, item_type, title, created_at)
SELECT s.id, 'activity', 'Activity ' || g, now() - (g || ' minutes')::interval
  FROM (SELECT s.id FROM unified_travel_sessions s JOIN users u ON u.id = s.user_id
         WHERE u.email = 'heavy@example.test' ORDER BY s.id LIMIT 1) s, generate_series(1, 300) AS g;
INSERT INTO unified_session_bookings (session_id, booking_id, created_at)
SELECT s.id, b.id, b.created_at
  FROM (SELECT id, user_id, created_at, row_number() OVER (PARTITION BY user_id ORDER BY id) AS n FROM bookings) b
  JOIN (SELECT id, user_id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS n FROM unified_travel_sessions) s
    ON s.user_id = b.user_id AND s.n = 1 + b.n % 3;
INSERT INTO document_reviews (document_kind, document_id, decision, reason_code, from_status, created_at)
SELECT 'user', id, 'verify', 'document_valid', 'in_review', created_at FROM user_documents;
INSERT INTO document_reviews (document_kind, document_id, decision, reason_code, from_status, created_at)
SELECT 'traveler', id, 'verify', 'document_valid', 'in_review', created_at FROM traveler_documents;
INSERT INTO traveler_documents (traveler_id, document_type, number_ciphertext, number_index, number_masked, issuing_country, holder_name, status, created_at)
SELECT t.id, 'visa', 'x', md5('heavy-traveler' || g), '****', 'PT', 'H1 Heavy', 'verified', now() - (g || ' hours')::interval
  FROM (SELECT id FROM travelers WHERE first_name = 'H1') t, generate_series(1, 200) AS g;
INSERT INTO auth_events (user_id, type, created_at)
SELECT u.id, (ARRAY['login_success','token_refresh','logout'])[1 + g % 3]::auth_event_type, now() - (g || ' hours')::interval
  FROM users u, generate_series(1, 3) AS g;
DROP TABLE seed_users;
