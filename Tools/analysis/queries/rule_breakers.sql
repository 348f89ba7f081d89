-- Which peers break which rule: the endpoint and client of the side a finding names, with its connections.
SELECT f.rule, p.endpoint, p.client, count(*) AS findings, count(DISTINCT f.report || '#' || f.connection) AS connections
FROM findings f
JOIN peers p ON p.report = f.report AND p.connection = f.connection AND p.side = f.side
WHERE f.severity = 'breach'
GROUP BY ALL
ORDER BY findings DESC, rule, endpoint;
