-- Messages and payload bytes per protocol version and message name.
SELECT protocol, message, count(*) AS messages, sum(size) AS bytes
FROM messages
GROUP BY ALL
ORDER BY protocol, messages DESC, message;
