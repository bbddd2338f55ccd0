-- Acknowledgement: the site owner's wording of what a reader sees right
-- after posting, as a JSON object from language to text, e.g.
-- {"pl": "Dziękujemy, {name}! …"}. A language left out gets the default
-- wording (see package ack).
ALTER TABLE sites ADD COLUMN ack_texts TEXT NOT NULL DEFAULT '{}';
