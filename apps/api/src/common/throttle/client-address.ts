import type { Request } from 'express';
import { isIPv6 } from 'node:net';

/**
 * The address a client limit is keyed by: req.ip (which honours TRUST_PROXY), with an
 * IPv4-mapped address unwrapped and an IPv6 address reduced to its /64, since one host
 * usually holds a whole /64.
 */
export function clientAddress(req: Pick<Request, 'ip' | 'socket'>): string {
  let ip = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  if (!isIPv6(ip)) return ip;
  const [head] = ip.split('%');
  const groups = expandIPv6(head!);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(ip: string): string[] {
  const [left, right] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const missing = right === undefined ? 0 : 8 - l.length - r.length;
  return [...l, ...Array<string>(missing).fill('0'), ...r].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
