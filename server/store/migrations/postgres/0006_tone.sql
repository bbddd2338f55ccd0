-- Tone: each reader comment's negativity score (0 calm … 1 very negative,
-- see package tone), for the inbox order, crisis warnings and the
-- dashboard's trend. NULL: not scored (staff replies, imports).
ALTER TABLE comments ADD COLUMN negativity REAL;
