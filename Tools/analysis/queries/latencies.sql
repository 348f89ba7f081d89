-- Request/response latencies per request type: an eth or snap Get… message and the first answer named without
-- "Get" that carries its request id, from the other side of the same connection.
WITH answered AS (
    SELECT q.protocol, q.message AS request, q.time AS asked,
           min(a.time) AS answered
    FROM messages q
    JOIN messages a ON a.report = q.report AND a.connection = q.connection AND a.side <> q.side
        AND a.request_id = q.request_id AND a.message = substr(q.message, 4) AND a.time >= q.time
    WHERE q.message LIKE 'Get%' AND q.request_id IS NOT NULL
    GROUP BY q.report, q.connection, q.side, q.protocol, q.message, q.request_id, q.time
)
SELECT protocol, request, count(*) AS answered,
       round(1000 * min(answered - asked), 3) AS min_ms,
       round(1000 * median(answered - asked), 3) AS median_ms,
       round(1000 * quantile_cont(answered - asked, 0.95), 3) AS p95_ms,
       round(1000 * max(answered - asked), 3) AS max_ms
FROM answered
GROUP BY ALL
ORDER BY protocol, request;
