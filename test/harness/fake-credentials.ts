// Scaleway credentials for tests: the right shapes (an access key is SCW + 17 upper-case letters
// or digits, a secret key is a UUID), made at run time from one repeated character, so no test
// file holds a literal that looks like a real key. None of them is accepted by any real API.

/** `SCW` and 17 times `c`: SCWXXXXXXXXXXXXXXXXX */
export function fakeAccessKey(c = 'X'): string {
  return 'SCW' + c.repeat(17);
}

/** a UUID of one repeated digit: 22222222-2222-2222-2222-222222222222 */
export function fakeSecretKey(d = '2'): string {
  return [8, 4, 4, 4, 12].map((n) => d.repeat(n)).join('-');
}
