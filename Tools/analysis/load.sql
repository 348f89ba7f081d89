-- Loads `rlpx-tool conformance --format jsonl [--transcript]` reports (Schemas/report-v1.schema.json) into views.
-- analyze.py replaces {files} with the list of report paths. Every view has `report`, the file a row came from.
CREATE OR REPLACE TABLE lines AS
SELECT * FROM read_json({files}, format = 'newline_delimited', filename = 'report', columns = {
    type: 'VARCHAR', time: 'VARCHAR', connection: 'BIGINT', direction: 'VARCHAR', protocol: 'VARCHAR', message: 'VARCHAR',
    size: 'BIGINT', summary: 'VARCHAR', rule: 'VARCHAR', severity: 'VARCHAR', side: 'VARCHAR', detail: 'VARCHAR',
    id: 'BIGINT', initiator: 'VARCHAR', recipient: 'VARCHAR', status: 'VARCHAR', authFormat: 'VARCHAR',
    bytesFromInitiator: 'BIGINT', bytesFromRecipient: 'BIGINT', notes: 'VARCHAR[]',
    rules: 'STRUCT(id VARCHAR, statement VARCHAR, section VARCHAR, severity VARCHAR, findings BIGINT)[]',
    counts: 'STRUCT(breach BIGINT, "non-strict" BIGINT, informational BIGINT)'
});

-- One row per transcript message; `request_id` is the eth/snap request id the summary names (id=N).
CREATE OR REPLACE VIEW messages AS
SELECT report, CAST(time AS DOUBLE) AS time, connection,
       CASE WHEN direction LIKE 'initiator%' THEN 'initiator' ELSE 'recipient' END AS side,
       protocol, message, size, summary,
       TRY_CAST(regexp_extract(summary, '(^|\s)id=([0-9]+)', 2) AS UBIGINT) AS request_id
FROM lines WHERE type = 'message';

CREATE OR REPLACE VIEW findings AS
SELECT report, rule, severity, connection, side, CAST(time AS DOUBLE) AS time, detail FROM lines WHERE type = 'finding';

CREATE OR REPLACE VIEW connections AS
SELECT report, id AS connection, initiator, recipient, status, authFormat AS auth_format,
       bytesFromInitiator AS bytes_from_initiator, bytesFromRecipient AS bytes_from_recipient, notes
FROM lines WHERE type = 'connection';

-- Each report's closing line, one row per rule that ran.
CREATE OR REPLACE VIEW rule_results AS
SELECT report, r.id AS rule, r.severity, r.findings
FROM (SELECT report, unnest(rules) AS r FROM lines WHERE type = 'summary');

-- Each side's client, from its Hello ("Geth/v1.14.0/... v5 caps eth/68,snap/1").
CREATE OR REPLACE VIEW peers AS
SELECT c.report, c.connection, s.side,
       CASE WHEN s.side = 'initiator' THEN c.initiator ELSE c.recipient END AS endpoint,
       coalesce(first(regexp_extract(m.summary, '^(.*) v[0-9]+ caps ', 1)), '(no Hello)') AS client
FROM connections c
CROSS JOIN (VALUES ('initiator'), ('recipient')) s(side)
LEFT JOIN messages m ON m.report = c.report AND m.connection = c.connection AND m.side = s.side
    AND m.protocol = 'p2p' AND m.message = 'Hello'
GROUP BY ALL;
