import { describe, expect, it } from 'vitest';
import { emptyAggregate, scoreLead } from '../../../functions/core/scoring';
import { fitEntry, modelOf, NOW } from './models';

describe('fit rule containsAny', () => {
  const senior = { field: 'jobTitle', containsAny: ['vp', 'vice president', 'head of', 'geschäftsführer'] };

  it.each([
    ['VP Marketing', 'vp'],
    ['vp marketing', 'vp'],
    ['Senior VP, Sales', 'vp'],
    ['Vice-President Growth', 'vice president'],
    ['HEAD OF Demand Generation', 'head of'],
    ['Geschaftsfuhrer', 'geschäftsführer'],
    ['Geschäftsführer', 'geschäftsführer'],
  ])(
    'matches "%s" on the whole word or phrase "%s", whatever the case, accents and punctuation',
    (title, word) => {
      // Prepare, Act
      const entry = fitEntry(senior, { jobTitle: title });

      // Assess
      expect(entry).toEqual({
        rule: 'rule',
        kind: 'fit',
        points: 10,
        reason: `jobTitle "${title}" contains "${word}"`,
      });
    },
  );

  it.each(['MVP Developer', 'SVP', 'Head Chef', 'Vice Principal', 'presidential advisor'])(
    'does not match "%s": words match whole, not inside other words',
    (title) => {
      expect(fitEntry(senior, { jobTitle: title })).toBeUndefined();
    },
  );

  it('names the first listed word that matched', () => {
    expect(
      fitEntry({ field: 'jobTitle', containsAny: ['chief', 'cto'] }, { jobTitle: 'CTO & Chief Architect' })
        ?.reason,
    ).toBe('jobTitle "CTO & Chief Architect" contains "chief"');
  });

  it('does not match a missing or empty field', () => {
    expect(fitEntry(senior, {})).toBeUndefined();
    expect(fitEntry(senior, { jobTitle: '  ' })).toBeUndefined();
  });
});

describe('fit rule in', () => {
  const countries = { field: 'country', in: ['DE', 'AT', 'CH'] };

  it('matches a listed value ignoring case and outer spaces', () => {
    expect(fitEntry(countries, { country: 'DE' })?.reason).toBe('country "DE" is one of DE, AT, CH');
    expect(fitEntry(countries, { country: ' at ' })).toBeDefined();
  });

  it('does not match an unlisted or missing value', () => {
    expect(fitEntry(countries, { country: 'FR' })).toBeUndefined();
    expect(fitEntry(countries, {})).toBeUndefined();
  });

  it('compares numbers by value', () => {
    expect(fitEntry({ field: 'seats', in: [5, 10] }, { seats: '10' })).toBeDefined();
    expect(fitEntry({ field: 'seats', in: [5, 10] }, { seats: 5 })).toBeDefined();
    expect(fitEntry({ field: 'seats', in: [5, 10] }, { seats: 7 })).toBeUndefined();
  });

  it('shortens a long list in the reason', () => {
    const list = ['US', 'CA', 'GB', 'IE', 'DE', 'AT', 'CH', 'NL', 'BE', 'FR'];
    expect(fitEntry({ field: 'country', in: list }, { country: 'fr' })?.reason).toBe(
      'country "fr" is one of US, CA, GB, IE, DE, AT, CH, NL, … (10 in all)',
    );
  });
});

describe('fit rule range', () => {
  const midMarket = { field: 'companySize', range: { min: 51, max: 5000 } };

  it.each([
    [51, true],
    [50, false],
    [5000, true],
    [5001, false],
    [120, true],
  ])('includes both bounds: %s is in 51–5000: %s', (size, inRange) => {
    expect(fitEntry(midMarket, { companySize: size }) !== undefined).toBe(inRange);
  });

  it.each([
    ['51-200', true],
    ['201-1000', true],
    ['1001-5000', true],
    ['11-50', false],
    ['5001+', false],
    ['1,001-5,000', true],
    ['unknown', false],
  ])('puts a select value such as "%s" in the range when its lower bound is: %s', (size, inRange) => {
    expect(fitEntry(midMarket, { companySize: size }) !== undefined).toBe(inRange);
  });

  it('explains the lower bound it used', () => {
    expect(fitEntry(midMarket, { companySize: '51-200' })?.reason).toBe(
      'companySize "51-200" (from 51) is within 51–5000',
    );
    expect(fitEntry(midMarket, { companySize: 120 })?.reason).toBe('companySize 120 is within 51–5000');
  });

  it('takes an open range: only min, or only max', () => {
    expect(fitEntry({ field: 'companySize', range: { min: 5001 } }, { companySize: '5001+' })?.reason).toBe(
      'companySize "5001+" (from 5001) is at least 5001',
    );
    expect(fitEntry({ field: 'companySize', range: { max: 10 } }, { companySize: '1-10' })).toBeDefined();
    expect(fitEntry({ field: 'companySize', range: { max: 10 } }, { companySize: '11-50' })).toBeUndefined();
  });

  it('does not match booleans or a missing field', () => {
    expect(fitEntry(midMarket, { companySize: true })).toBeUndefined();
    expect(fitEntry(midMarket, {})).toBeUndefined();
  });
});

describe('fit rule emailDomain', () => {
  it.each([
    ['ada@acme.io', 'business', 'email domain "acme.io" is a business domain'],
    ['ada@gmail.com', 'free', 'email domain "gmail.com" is a free-mail domain'],
    ['Ada@GMAIL.COM', 'free', 'email domain "gmail.com" is a free-mail domain'],
    ['ada@mailinator.com', 'disposable', 'email domain "mailinator.com" is a disposable domain'],
    ['ada@x.mailinator.com', 'disposable', 'email domain "x.mailinator.com" is a disposable domain'],
  ])('classes %s as %s', (email, type, reason) => {
    const model = modelOf({
      fit: ['business', 'free', 'disposable'].map((kind) => ({
        id: kind,
        points: 1,
        when: { emailDomain: kind },
      })),
    });

    const { breakdown } = scoreLead(model, 1, { email, profile: {}, aggregate: emptyAggregate() }, NOW);

    expect(breakdown).toEqual([{ rule: type, kind: 'fit', points: 1, reason }]);
  });

  it('counts a domain on both lists as disposable, not free', () => {
    // mailinator.com is among the most common addresses and on the disposable blocklist.
    expect(fitEntry({ emailDomain: 'free' }, {}, 'ada@mailinator.com')).toBeUndefined();
    expect(fitEntry({ emailDomain: 'disposable' }, {}, 'ada@mailinator.com')).toBeDefined();
  });

  it('does not take a subdomain of a free-mail provider for the provider', () => {
    expect(fitEntry({ emailDomain: 'business' }, {}, 'ada@eng.gmail.com')).toBeDefined();
  });

  it('matches no type when the address has no domain', () => {
    for (const type of ['business', 'free', 'disposable']) {
      expect(fitEntry({ emailDomain: type }, {}, 'not-an-address')).toBeUndefined();
    }
  });
});

describe('fit rule present', () => {
  it('matches a filled field without echoing its value', () => {
    expect(fitEntry({ field: 'phone', present: true }, { phone: '+4930123456' })?.reason).toBe(
      'phone is present',
    );
  });

  it('treats an empty text as missing and false as a value', () => {
    expect(fitEntry({ field: 'phone', present: true }, { phone: ' ' })).toBeUndefined();
    expect(fitEntry({ field: 'consent', present: true }, { consent: false })).toBeDefined();
  });

  it('with present: false, matches a missing field', () => {
    expect(fitEntry({ field: 'company', present: false }, {})?.reason).toBe('company is missing');
    expect(fitEntry({ field: 'company', present: false }, { company: 'Acme' })).toBeUndefined();
  });
});

describe('fit rule equals', () => {
  it('compares text ignoring case and outer spaces', () => {
    expect(fitEntry({ field: 'industry', equals: 'saas' }, { industry: ' SaaS ' })?.reason).toBe(
      'industry " SaaS " equals "saas"',
    );
    expect(fitEntry({ field: 'industry', equals: 'saas' }, { industry: 'retail' })).toBeUndefined();
  });

  it('compares numbers and booleans by value, also when the profile holds them as text', () => {
    expect(fitEntry({ field: 'seats', equals: 25 }, { seats: 25 })).toBeDefined();
    expect(fitEntry({ field: 'seats', equals: 25 }, { seats: '25.0' })).toBeDefined();
    expect(fitEntry({ field: 'seats', equals: 25 }, { seats: 26 })).toBeUndefined();
    expect(fitEntry({ field: 'partner', equals: true }, { partner: true })).toBeDefined();
    expect(fitEntry({ field: 'partner', equals: true }, { partner: 'true' })).toBeDefined();
    expect(fitEntry({ field: 'partner', equals: true }, { partner: false })).toBeUndefined();
  });

  it('does not match a missing field', () => {
    expect(fitEntry({ field: 'industry', equals: 'saas' }, {})).toBeUndefined();
  });
});

describe('fit rule points', () => {
  it('scores negative points, e.g. for students', () => {
    const model = modelOf({
      fit: [{ id: 'student', points: -30, when: { field: 'jobTitle', containsAny: ['student'] } }],
    });

    const result = scoreLead(
      model,
      1,
      { email: 'a@uni.edu', profile: { jobTitle: 'Student' }, aggregate: emptyAggregate() },
      NOW,
    );

    expect(result.fit).toBe(-30);
    expect(result.grade).toBe('F');
  });

  it('does not read inherited properties as profile fields', () => {
    expect(fitEntry({ field: 'constructor', present: true }, {})).toBeUndefined();
  });
});
