-- Breakdown dimensions: the board asked for monitoring of participants by age,
-- ethnicity, disability and gender (WMCA Wellbeing Board, 18 January 2019, Thrive update,
-- para 11.1). Categories follow ONS classifications so partner figures line up with
-- census and survey denominators. Re-running updates names and order in place; a
-- category is never deleted here, since observations may refer to it.
INSERT INTO dimensions (code, name, description) VALUES
    ('sex', 'Sex',
     'ONS Census 2021 sex classification (2 categories: female, male).'),
    ('age_band', 'Age band',
     'ONS Labour Force Survey age bands for people aged 16 and over (as in the ONS labour '
     'market table A05: 25-34, 35-49, 50-64, 65+), with 16-17 and 18-24 joined as 16-24. '
     'Thrive programmes serve adults of 18 and over, so for them 16-24 holds ages 18 to 24.'),
    ('ethnicity', 'Ethnic group',
     'ONS Census 2021 ethnic group, the 5 broad (high-level) groups for England.'),
    ('disability', 'Disability',
     'GSS harmonised standard for disability as used in Census 2021 (Equality Act 2010 '
     'definition), 2 categories: disabled, not disabled.')
ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description;

INSERT INTO dimension_categories (dimension, code, name, sort_order) VALUES
    -- ONS Census 2021 "Sex".
    ('sex', 'female', 'Female', 1),
    ('sex', 'male', 'Male', 2),
    -- ONS Labour Force Survey age bands (table A05), 16-17 and 18-24 joined.
    ('age_band', '16-24', 'Aged 16 to 24', 1),
    ('age_band', '25-34', 'Aged 25 to 34', 2),
    ('age_band', '35-49', 'Aged 35 to 49', 3),
    ('age_band', '50-64', 'Aged 50 to 64', 4),
    ('age_band', '65+', 'Aged 65 and over', 5),
    -- ONS Census 2021 ethnic group, 5 high-level categories (England).
    ('ethnicity', 'asian', 'Asian, Asian British or Asian Welsh', 1),
    ('ethnicity', 'black', 'Black, Black British, Black Welsh, Caribbean or African', 2),
    ('ethnicity', 'mixed', 'Mixed or Multiple ethnic groups', 3),
    ('ethnicity', 'white', 'White', 4),
    ('ethnicity', 'other', 'Other ethnic group', 5),
    -- GSS harmonised disability standard / Census 2021 "Disability" (2 categories).
    ('disability', 'disabled', 'Disabled under the Equality Act', 1),
    ('disability', 'not_disabled', 'Not disabled under the Equality Act', 2)
ON CONFLICT (dimension, code) DO UPDATE SET name = excluded.name, sort_order = excluded.sort_order;
