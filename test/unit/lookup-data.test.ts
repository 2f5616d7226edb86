import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lookupDataModules, moduleSource } from '../../bin/lookup-data';
import { PHONE_METADATA_JSON } from '../../functions/core/capture/phone-metadata';
import { DISPOSABLE_DOMAINS } from '../../functions/core/scoring/disposable-domains';
import { emailDomainType, isListedDisposable } from '../../functions/core/scoring/email-domain';

const require = createRequire(import.meta.url);
const packageList: string[] = require('disposable-email-domains-js/dist/dict/disposable_email_blocklist.json');

describe('lookup data generated from the packages (bin/lookup-data.ts)', () => {
  it.each(lookupDataModules())(
    '$path is current (run `npx tsx bin/lookup-data.ts` after an update)',
    (module) => {
      expect(readFileSync(module.path, 'utf8')).toBe(moduleSource(module));
    },
  );

  it('the phone metadata is the package min metadata', () => {
    expect(JSON.parse(PHONE_METADATA_JSON)).toEqual(require('libphonenumber-js/metadata.min.json'));
  });

  it('the disposable list holds every domain of the package, one per line, sorted', () => {
    const lines = DISPOSABLE_DOMAINS.split('\n');
    expect(lines).toHaveLength(new Set(packageList).size);
    expect(new Set(lines)).toEqual(new Set(packageList));
    expect(lines).toEqual([...lines].sort());
  });
});

describe('isListedDisposable (binary search in the sorted list)', () => {
  it('finds every listed domain, the first and the last included', () => {
    const missed = packageList.filter((domain) => !isListedDisposable(domain));
    expect(missed).toEqual([]);
  });

  it('finds no domain that is not a whole line of the list', () => {
    const lines = new Set(DISPOSABLE_DOMAINS.split('\n'));
    const near = [...lines]
      .flatMap((line) => [`${line}x`, line.slice(1), `a${line}`])
      .filter((d) => !lines.has(d));
    for (const domain of [...near.slice(0, 3000), '', 'example.com', 'gmail.com', 'zzzzzz.zz', '0'])
      expect(isListedDisposable(domain), domain).toBe(false);
  });

  it('searches short lists at their edges', () => {
    expect(isListedDisposable('a.com', 'a.com')).toBe(true);
    expect(isListedDisposable('b.com', 'a.com\nb.com\nc.com')).toBe(true);
    expect(isListedDisposable('c.com', 'a.com\nb.com\nc.com')).toBe(true);
    expect(isListedDisposable('bb.com', 'a.com\nb.com\nc.com')).toBe(false);
    expect(isListedDisposable('a.com', '')).toBe(false);
  });

  it('types a sub-domain of a listed domain as disposable, the providers as free, the rest as business', () => {
    expect(emailDomainType('x.mailinator.com')).toBe('disposable');
    expect(emailDomainType('gmail.com')).toBe('free');
    expect(emailDomainType('leadflow.example')).toBe('business');
  });
});
