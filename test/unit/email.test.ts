import { describe, expect, it } from 'vitest';
import { emailIdentity, leadIdFor, normalizeEmail } from '../../functions/core/kernel/email';

describe('email identity', () => {
  it('trims and lower-cases the address it writes to', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('folds Gmail dots and +tags, and googlemail.com, into one identity', () => {
    const variants = [
      'Ada.Lovelace@gmail.com',
      'adalovelace+news@gmail.com',
      'a.d.a.lovelace@GoogleMail.com ',
    ];
    expect(new Set(variants.map(emailIdentity))).toEqual(new Set(['adalovelace@gmail.com']));
  });

  it('leaves dots and plus signs of other providers alone', () => {
    expect(emailIdentity('first.last+sales@example.com')).toBe('first.last+sales@example.com');
    expect(leadIdFor('first.last@example.com')).not.toBe(leadIdFor('firstlast@example.com'));
  });

  it('derives the same lead id for every spelling of the same inbox', () => {
    const id = leadIdFor('ADA.LOVELACE+x@gmail.com');
    expect(id).toMatch(/^ld_[0-9a-f]{24}$/);
    expect(leadIdFor('adalovelace@googlemail.com')).toBe(id);
  });
});
