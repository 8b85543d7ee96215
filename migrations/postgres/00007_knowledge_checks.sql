-- Knowledge checks and the evidence behind a certificate: a reading may have
-- one check (questions, options, the paragraph that explains each answer);
-- every attempt is kept with its answers, and check_results holds each
-- person's attempt count and whether they passed. A reading may set its
-- minimum reading time (NULL: half the estimated time). A course issues
-- certificates once every week has a required published reading, or when
-- staff open them; a certificate keeps the rule its holder met.

-- +goose Up
ALTER TABLE readings ADD COLUMN min_minutes INTEGER CHECK (min_minutes IS NULL OR min_minutes BETWEEN 0 AND 600);
ALTER TABLE courses ADD COLUMN certificates_open BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE certificates ADD COLUMN criteria TEXT NOT NULL DEFAULT '';

CREATE TABLE checks (
    id                      BIGSERIAL PRIMARY KEY,
    reading_id              BIGINT NOT NULL UNIQUE REFERENCES readings (id) ON DELETE CASCADE,
    pass_percent            INTEGER NOT NULL CHECK (pass_percent BETWEEN 1 AND 100),
    max_attempts            INTEGER CHECK (max_attempts IS NULL OR max_attempts BETWEEN 1 AND 100),
    show_answers_after_fail BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE check_questions (
    id        BIGSERIAL PRIMARY KEY,
    check_id  BIGINT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    prompt    TEXT NOT NULL CHECK (length(prompt) BETWEEN 1 AND 1000),
    kind      TEXT NOT NULL CHECK (kind IN ('single', 'multiple')),
    paragraph INTEGER NOT NULL CHECK (paragraph >= 1)
);
CREATE INDEX check_questions_check_idx ON check_questions (check_id, position);

CREATE TABLE check_options (
    id          BIGSERIAL PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES check_questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    correct     BOOLEAN NOT NULL,
    feedback    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX check_options_question_idx ON check_options (question_id, position);

-- One row per person and check: the attempt counter that the limit is
-- enforced on, the best score, and when they first passed.
CREATE TABLE check_results (
    enrollment_id   BIGINT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    check_id        BIGINT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    best_percent    INTEGER NOT NULL DEFAULT 0 CHECK (best_percent BETWEEN 0 AND 100),
    passed_at       TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (enrollment_id, check_id)
);
CREATE INDEX check_results_check_idx ON check_results (check_id);

-- Every attempt with its answers ({"question id": [option ids]}) and the
-- questions it got right, as they were graded at the time.
CREATE TABLE check_attempts (
    id            BIGSERIAL PRIMARY KEY,
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    check_id      BIGINT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    score_percent INTEGER NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
    passed        BOOLEAN NOT NULL,
    answers       TEXT NOT NULL,
    right_answers TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (enrollment_id, check_id, number)
);
CREATE INDEX check_attempts_check_idx ON check_attempts (check_id, number);

-- The seeded course's week 1 reading gets a check of five questions, each
-- answered in the paragraph it cites. Nothing is inserted when the seeded
-- course is absent.
INSERT INTO checks (reading_id, pass_percent, max_attempts, show_answers_after_fail, created_at, updated_at)
SELECT r.id, 80, NULL, FALSE, r.created_at, r.created_at
FROM readings r JOIN courses c ON c.id = r.course_id
WHERE c.slug = 'international-relations' AND r.slug = 'afghanistan-peace-summits';

INSERT INTO check_questions (check_id, position, prompt, kind, paragraph)
SELECT k.id, q.position, q.prompt, 'single', q.paragraph
FROM checks k
JOIN readings r ON r.id = k.reading_id AND r.slug = 'afghanistan-peace-summits'
JOIN courses c ON c.id = r.course_id AND c.slug = 'international-relations'
JOIN (
    SELECT 1 AS position, 'On which date does Moscow plan to hold its conference on a settlement in Afghanistan?' AS prompt, 4 AS paragraph
    UNION ALL SELECT 2, 'Under the deal struck in February 2020, by which date did the US commit to pulling out the US-led and NATO troops?', 2
    UNION ALL SELECT 3, 'Why was Qatar invited to the Moscow conference as an honoured guest?', 4
    UNION ALL SELECT 4, 'In which city is the US expected to hold its “senior-level” peace conference?', 7
    UNION ALL SELECT 5, 'How did President Ashraf Ghani answer the power-sharing proposal?', 8
) q ON TRUE;

INSERT INTO check_options (question_id, position, body, correct, feedback)
SELECT q.id, o.position, o.body, o.correct, o.feedback
FROM check_questions q
JOIN checks k ON k.id = q.check_id
JOIN readings r ON r.id = k.reading_id AND r.slug = 'afghanistan-peace-summits'
JOIN courses c ON c.id = r.course_id AND c.slug = 'international-relations'
JOIN (
    SELECT 1 AS question, 2 AS position, '18 March' AS body, TRUE AS correct,
           'Right: “On 18th March, Moscow plans to hold a conference to discuss prospects for a settlement in Afghanistan.”' AS feedback
    UNION ALL SELECT 1, 1, '1 May', FALSE, 'No: 1 May 2021 is the deadline for the foreign troops to withdraw, not the date of the Moscow conference.'
    UNION ALL SELECT 1, 3, 'Some time in April', FALSE, 'No: April is when the US-sponsored conference in Turkey is expected to start.'
    UNION ALL SELECT 1, 4, 'It has not been set', FALSE, 'No: the article gives the date of the Moscow conference.'
    UNION ALL SELECT 2, 4, '1 May 2021', TRUE, 'Right: the US committed to pulling out the troops “by 1st May 2021 if the Taliban kept to a series of promises”.'
    UNION ALL SELECT 2, 1, '18 March 2021', FALSE, 'No: 18 March is the date of the Moscow conference.'
    UNION ALL SELECT 2, 2, 'February 2020', FALSE, 'No: February 2020 is when the deal was struck, not the withdrawal deadline.'
    UNION ALL SELECT 2, 3, 'No date was agreed', FALSE, 'No: the deal set a date, which the US is now reconsidering.'
    UNION ALL SELECT 3, 1, 'Because it has hosted several rounds of the peace talks in Doha since 2019', TRUE,
           'Right: Qatar was invited “because of its role in hosting several rounds of the historic peace talks in its capital, Doha since 2019”.'
    UNION ALL SELECT 3, 2, 'Because it will host the US-sponsored conference', FALSE, 'No: the US-sponsored conference is to be held in Turkey, in Istanbul.'
    UNION ALL SELECT 3, 3, 'Because it proposed the power-sharing transition', FALSE, 'No: the article says the US and Russia laid the power-sharing proposal.'
    UNION ALL SELECT 3, 4, 'Because its troops are part of the US-led forces', FALSE, 'No: the article gives its role as host of the Doha talks as the reason.'
    UNION ALL SELECT 4, 3, 'Istanbul', TRUE, 'Right: the US is expected to schedule a “senior-level” peace conference next month in Istanbul.'
    UNION ALL SELECT 4, 1, 'Moscow', FALSE, 'No: Moscow hosts Russia’s conference of 18 March.'
    UNION ALL SELECT 4, 2, 'Doha', FALSE, 'No: Doha is where the stalled talks between the government and the Taliban were held.'
    UNION ALL SELECT 4, 4, 'Kabul', FALSE, 'No: the article places the US conference in Istanbul, in Turkey.'
    UNION ALL SELECT 5, 2, 'He rejected it, saying that only elections could determine the government', TRUE,
           'Right: he “straightforwardly rejected” it in a blazing speech, saying that “only elections could determine the government”.'
    UNION ALL SELECT 5, 1, 'He accepted it as the first step towards peace', FALSE, 'No: it is the US and Russia who call power-sharing the first step; Ghani rejected it.'
    UNION ALL SELECT 5, 4, 'He asked the Taliban to decide', FALSE, 'No: he rejected the proposal himself, in a speech.'
    UNION ALL SELECT 5, 3, 'He has not commented on it', FALSE, 'No: he rejected it in a blazing speech.'
) o ON o.question = q.position;

-- +goose Down
DROP TABLE check_attempts;
DROP TABLE check_results;
DROP TABLE check_options;
DROP TABLE check_questions;
DROP TABLE checks;
ALTER TABLE certificates DROP COLUMN criteria;
ALTER TABLE courses DROP COLUMN certificates_open;
ALTER TABLE readings DROP COLUMN min_minutes;
