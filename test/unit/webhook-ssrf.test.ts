import { describe, expect, it } from 'vitest';
import {
  addressAllowed,
  checkEndpointUrl,
  isPublicAddress,
} from '../../functions/core/integrations/url-rules';

const aws = { allowLocalHttp: false };
const local = { allowLocalHttp: true };
const refused = (url: string, policy = aws) => checkEndpointUrl(url, policy).ok === false;

describe('endpoint URL rules (SSRF)', () => {
  it('accepts https URLs to public names and addresses', () => {
    expect(checkEndpointUrl('https://hooks.example.com/leadflow', aws).ok).toBe(true);
    expect(checkEndpointUrl('https://8.8.8.8/x', aws).ok).toBe(true);
    expect(checkEndpointUrl('https://[2606:4700::1111]/x', aws).ok).toBe(true);
  });

  it('refuses http, credentials, single-label and local names', () => {
    expect(refused('http://hooks.example.com/')).toBe(true);
    expect(refused('ftp://hooks.example.com/')).toBe(true);
    expect(refused('https://user:pass@hooks.example.com/')).toBe(true);
    expect(refused('https://localhost/')).toBe(true);
    expect(refused('https://intranet/')).toBe(true);
    expect(refused('https://printer.local/')).toBe(true);
    expect(refused('not a url')).toBe(true);
  });

  it.each([
    ['10.0.0.1'],
    ['172.16.5.4'],
    ['192.168.1.1'],
    ['127.0.0.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['224.0.0.1'],
    ['255.255.255.255'],
    ['198.18.0.1'],
    ['[::1]'],
    ['[fe80::1]'],
    ['[fc00::1]'],
    ['[::ffff:127.0.0.1]'],
    ['[::ffff:10.0.0.1]'],
    ['[64:ff9b::a00:1]'],
    ['[2002:a00:1::]'],
    ['[::]'],
  ])('refuses the private or special address %s', (host) => {
    expect(refused(`https://${host}/hook`)).toBe(true);
  });

  it.each([['2130706433'], ['0177.0.0.1'], ['0x7f.0.0.1'], ['127.1'], ['017700000001'], ['0xa9fea9fe']])(
    'refuses the decimal/octal/hex trick %s (the URL parser normalises it first)',
    (host) => {
      expect(refused(`https://${host}/hook`)).toBe(true);
    },
  );

  it('checks every resolved address: a public name resolving to a private address is refused', () => {
    const url = new URL('https://hooks.example.com/');
    expect(addressAllowed('93.184.216.34', url, aws)).toBe(true);
    for (const address of [
      '10.1.2.3',
      '127.0.0.1',
      '::1',
      '::ffff:192.168.0.1',
      'fd00::5',
      '169.254.169.254',
    ])
      expect(addressAllowed(address, url, aws)).toBe(false);
  });

  it('locally accepts http://127.0.0.1:<port> and nothing else private', () => {
    expect(checkEndpointUrl('http://127.0.0.1:4567/hook', local).ok).toBe(true);
    expect(refused('http://127.0.0.1:4567/hook', aws)).toBe(true);
    expect(refused('http://127.0.0.1/hook', local)).toBe(true);
    expect(refused('http://localhost:4567/hook', local)).toBe(true);
    expect(refused('http://10.0.0.1:4567/hook', local)).toBe(true);
    expect(refused('http://2130706433:4567/hook', local)).toBe(false); // normalised to 127.0.0.1: allowed locally
    expect(refused('https://192.168.1.1:4567/hook', local)).toBe(true);
    const receiver = new URL('http://127.0.0.1:4567/hook');
    expect(addressAllowed('127.0.0.1', receiver, local)).toBe(true);
    expect(addressAllowed('10.0.0.1', receiver, local)).toBe(false);
  });

  it('isPublicAddress says no to nonsense', () => {
    expect(isPublicAddress('not-an-ip')).toBe(false);
    expect(isPublicAddress('8.8.4.4')).toBe(true);
  });
});
