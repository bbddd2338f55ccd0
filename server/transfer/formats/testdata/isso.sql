-- An Isso database (Isso 0.12's schema), built by the tests into a
-- temporary file. Thread 4 has no comments: an older Isso, without the
-- remove_stale_threads trigger, left it behind. Comments 2 to 4 nest
-- deeper than Isso's own UI allows; they came from a Disqus import.
CREATE TABLE IF NOT EXISTS preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE IF NOT EXISTS comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0);

INSERT INTO preferences VALUES ('session-key', '2d4f0c3b9e6a41d0b1c8a7e5f3d2c1b0');

INSERT INTO threads VALUES (1, '/2017/05/hvar-by-bike/', 'Hvar by bike: Stari Grad to Jelsa');
INSERT INTO threads VALUES (2, '/2018/02/krakow-in-winter/', 'Kraków zimą');
INSERT INTO threads VALUES (3, '/2019/07/meteora-at-dawn/', 'Μετέωρα at dawn');
INSERT INTO threads VALUES (4, '/contact/', NULL);

INSERT INTO comments VALUES (1, 1, NULL, 1494320512.482193, NULL, 1, '198.51.100.0',
    'Odlična ruta! Uspon iz Starog Grada je **brutalan** u srpnju, krenite rano.',
    'Marko Perić', 'marko.peric@example.hr', NULL, 3, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (1, 2, 1, 1494324001.0, NULL, 1, '203.0.113.0',
    'Thanks! We left at 6:30 and still melted. How long did it take you?',
    'Sophie', 'sophie@example.fr', 'https://sophie-rides.example.fr', 1, 0, zeroblob(256), 1);
INSERT INTO comments VALUES (1, 3, 2, 1494330000.75, NULL, 1, '198.51.100.0',
    'About 2 hours with stops. The descent to Jelsa makes up for it.',
    'Marko Perić', 'marko.peric@example.hr', '', 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (1, 4, 3, 1494331234.5, 1494331300.0, 1, '192.0.2.0',
    'Good to know, thanks both :)',
    NULL, NULL, NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (1, 5, NULL, 1494400000, NULL, 2, '198.51.100.0',
    'Is the road via Pitve open for bikes, or only the tunnel?',
    'Lena', 'lena@example.de', NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (2, 6, NULL, 1518000000.123456, NULL, 4, '203.0.113.0',
    '', NULL, NULL, NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (2, 7, 6, 1518003600.0, NULL, 1, '198.51.100.0',
    'Rynek at -15°C is magical, but bring *real* gloves.

And try **oscypek** from the stalls.',
    'Tomasz Nowak', 'tnowak@example.pl', 'https://tomasz.example.pl', 2, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (2, 8, 7, 1518007200.0, NULL, 1, '198.51.100.0',
    'Oscypek z żurawiną — obowiązkowo!',
    'Zofia', 'zofia@example.pl', NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (2, 9, NULL, 1518100000.5, NULL, 1, '192.0.2.0',
    'My list so far:

- Wawel
- Kazimierz
- Nowa Huta

Did I miss anything?',
    'Greg', '', '', 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (3, 10, NULL, 1562130000.0, NULL, 1, '198.51.100.0',
    'Ξυπνήσαμε στις 4:30 για την ανατολή πάνω από το Μεγάλο Μετέωρο. Άξιζε κάθε λεπτό!',
    'Κατερίνα', 'katerina@example.gr', NULL, 5, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (3, 11, 10, 1562140000.25, NULL, 1, '203.0.113.0',
    'Which monastery lets you in that early? `Varlaam` was closed for us.',
    'Ben', 'ben@example.com', NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (3, 12, 11, 1562150000.0, NULL, 1, '198.51.100.0',
    'Κανένα — we watched from the rocks by the road. Τα μοναστήρια ανοίγουν στις 9.',
    'Κατερίνα', 'katerina@example.gr', NULL, 0, 0, zeroblob(256), 0);
INSERT INTO comments VALUES (3, 13, NULL, 1562200000.0, NULL, 2, '192.0.2.0',
    'Cheap replica watches http://watches.example.net',
    'watches', 'sales@watches.example.net', 'http://watches.example.net', 0, 0, zeroblob(256), 0);
