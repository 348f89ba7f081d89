-- Findings per rule and severity, by the client of the side that broke the rule ('(either)' when no side did).
SELECT f.rule, f.severity, coalesce(p.client, '(either)') AS client, count(*) AS findings
FROM findings f
LEFT JOIN peers p ON p.report = f.report AND p.connection = f.connection AND p.side = f.side
GROUP BY ALL
ORDER BY findings DESC, rule, client;
