import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { describe, expect, test, vi } from 'vitest'
import type { Hex } from './Signer.js'
import {
  assertSignableMessage,
  createSignatureVerifier,
  InvalidMessageError,
  InvalidSignatureError,
  type RecoverAddress,
  readAddress,
  readSignature,
  type SignatureParts,
  SignerMismatchError,
  SigningFailedError,
  serializeSignature,
  toMessageSigner,
  UnsupportedSourceError,
} from './signature.js'

type SigningCase = { id: string; privateKey: Hex; address: Hex; message: string; signature: Hex }
type VerifyCase = {
  id: string
  address: string
  message: string
  signature: string
  valid: boolean
  recovered: string | null
}
const vectors = <T>(name: string): T[] =>
  (
    JSON.parse(
      readFileSync(new URL(`../../../vectors/signatures/${name}`, import.meta.url), 'utf8'),
    ) as { cases: T[] }
  ).cases
const signingCases = vectors<SigningCase>('personal-sign.json')
const verifyCases = vectors<VerifyCase>('verify.json')
const byId = (id: string): SigningCase => {
  const found = signingCases.find((item) => item.id === id)
  if (found === undefined) throw new Error(`no vector ${id}`)
  return found
}
const reserve = byId('anvil-0/job-reserve')
const otherKey = byId('anvil-1/job-reserve')

// Everything below is computed with noble, independently of the code under test.
const n = secp256k1.Point.Fn.ORDER
const hex32 = (value: bigint) => value.toString(16).padStart(64, '0')
const personalDigest = (message: string) => {
  const bytes = new TextEncoder().encode(message)
  const prefix = new TextEncoder().encode(`\u0019Ethereum Signed Message:\n${bytes.length}`)
  return keccak_256(new Uint8Array([...prefix, ...bytes]))
}

/** The recovery primitive a library would lend, written with noble. */
const nobleRecover: RecoverAddress = (message, { r, s, yParity }) => {
  const point = new secp256k1.Signature(r, s, yParity).recoverPublicKey(personalDigest(message))
  return `0x${bytesToHex(keccak_256(point.toBytes(false).subarray(1)).subarray(-20))}`
}
const { recoverMessageSigner, verifyMessageSignature } = createSignatureVerifier(nobleRecover)

/** A wallet's raw answer: r, s and a recovery bit, optionally as a high-s twin, v = 0/1 or 27/28. */
function walletAnswer(
  privateKey: Hex,
  message: string,
  { highS = false, v = 'bit' }: { highS?: boolean; v?: 'bit' | '27-28' } = {},
): string {
  const signature = secp256k1.Signature.fromBytes(
    secp256k1.sign(personalDigest(message), hexToBytes(privateKey.slice(2)), {
      prehash: false,
      format: 'recovered',
    }),
    'recovered',
  )
  const s = highS ? n - signature.s : signature.s
  const bit = (signature.recovery ?? 0) ^ (highS ? 1 : 0)
  return `0x${hex32(signature.r)}${hex32(s)}${(v === 'bit' ? bit : 27 + bit).toString(16).padStart(2, '0')}`
}

const caught = async (run: () => unknown): Promise<unknown> => {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('readSignature', () => {
  const r = `${'7'.repeat(63)}1`
  const s = `${'2'.repeat(63)}3`
  test.each([
    ['00', 0],
    ['1b', 0],
    ['01', 1],
    ['1c', 1],
    ['1C', 1],
  ])('v = 0x%s is recovery bit %i', (v, yParity) => {
    expect(readSignature(`0x${r}${s}${v}`)).toEqual({
      ok: true,
      parts: { r: BigInt(`0x${r}`), s: BigInt(`0x${s}`), yParity },
    })
  })

  test('upper-case hex digits are read like lower-case ones', () => {
    expect(readSignature(reserve.signature.toUpperCase().replace('0X', '0x'))).toEqual(
      readSignature(reserve.signature),
    )
  })

  const signature = (rValue: bigint, sValue: bigint, v = '1b') =>
    `0x${hex32(rValue)}${hex32(sValue)}${v}`
  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'expected a hex string, got undefined'],
    ['null', null, 'expected a hex string, got null'],
    ['a number', 65, 'expected a hex string, got number'],
    ['an object', {}, 'expected a hex string, got object'],
    ['an array', [], 'expected a hex string, got an array'],
    ['bytes', new Uint8Array(65), 'expected a hex string, got a Uint8Array'],
    ['no prefix', reserve.signature.slice(2), 'expected a 0x-prefixed hex string'],
    ['0X prefix', `0X${reserve.signature.slice(2)}`, 'expected a 0x-prefixed hex string'],
    ['a leading space', ` ${reserve.signature}`, 'expected a 0x-prefixed hex string'],
    ['a trailing newline', `${reserve.signature}\n`, 'not a hex string'],
    ['not hex', `0x${'zz'.repeat(65)}`, 'not a hex string'],
    ['empty hex', '0x', 'expected 65 bytes, got 0 bytes'],
    ['two bytes', '0x1234', 'expected 65 bytes, got 2 bytes'],
    ['an odd digit count', `${reserve.signature}0`, 'expected 65 bytes, got 65.5 bytes'],
    ['66 bytes', `${reserve.signature}00`, 'expected 65 bytes, got 66 bytes'],
    [
      '64-byte compact (EIP-2098)',
      reserve.signature.slice(0, 130),
      '64-byte compact (EIP-2098) signatures are not accepted; send r, s and v (65 bytes)',
    ],
    ['v = 2', signature(1n, 1n, '02'), 'v must be 0, 1, 27 or 28, got 2'],
    ['v = 29', signature(1n, 1n, '1d'), 'v must be 0, 1, 27 or 28, got 29'],
    ['v = 37 (EIP-155)', signature(1n, 1n, '25'), 'v must be 0, 1, 27 or 28, got 37'],
    ['r = 0', signature(0n, 1n), 'r is out of range'],
    ['r = n', signature(n, 1n), 'r is out of range'],
    ['r = 2^256 - 1', signature(2n ** 256n - 1n, 1n), 'r is out of range'],
    ['s = 0', signature(1n, 0n), 's is out of range'],
    ['s = n', signature(1n, n), 's is out of range'],
    [
      's = (n + 1) / 2',
      signature(1n, (n + 1n) / 2n),
      's is in the upper half of the curve order (high-s, EIP-2)',
    ],
    [
      's = n - 1',
      signature(1n, n - 1n),
      's is in the upper half of the curve order (high-s, EIP-2)',
    ],
  ])('refuses %s', (_label, value, reason) => {
    expect(readSignature(value)).toEqual({ ok: false, reason })
  })

  test('the largest low s, (n - 1) / 2, is accepted', () => {
    expect(readSignature(signature(1n, (n - 1n) / 2n))).toMatchObject({ ok: true })
  })

  test('allowHighS gives the low-s twin with the other recovery bit', () => {
    const low = readSignature(reserve.signature)
    if (!low.ok) throw new Error(low.reason)
    const { r: rValue, s: sValue, yParity } = low.parts
    const twin = `0x${hex32(rValue)}${hex32(n - sValue)}${yParity === 0 ? '1c' : '1b'}`
    expect(readSignature(twin)).toMatchObject({ ok: false })
    expect(readSignature(twin, { allowHighS: true })).toEqual(low)
    expect(readSignature(reserve.signature, { allowHighS: true })).toEqual(low)
  })

  test('allowHighS does not lift the other rules', () => {
    expect(readSignature(reserve.signature.slice(0, 130), { allowHighS: true })).toMatchObject({
      ok: false,
    })
    expect(readSignature(signature(1n, n), { allowHighS: true })).toEqual({
      ok: false,
      reason: 's is out of range',
    })
  })
})

describe('serializeSignature', () => {
  test('writes 0x + r + s + v = 27/28 in lower-case, zero-padded', () => {
    expect(serializeSignature({ r: 1n, s: 0xabn, yParity: 0 })).toBe(
      `0x${'0'.repeat(63)}1${'0'.repeat(62)}ab1b`,
    )
    expect(serializeSignature({ r: n - 1n, s: 2n, yParity: 1 })).toBe(
      `0x${hex32(n - 1n)}${hex32(2n)}1c`,
    )
  })

  test('every encoding of a vector signature reads and writes back as the vector', () => {
    const bit = reserve.signature.endsWith('1b') ? '00' : '01'
    for (const variant of [
      reserve.signature,
      `${reserve.signature.slice(0, 130)}${bit}`,
      `0x${reserve.signature.slice(2).toUpperCase()}`,
    ]) {
      const reading = readSignature(variant)
      if (!reading.ok) throw new Error(reading.reason)
      expect(serializeSignature(reading.parts)).toBe(reserve.signature)
    }
  })
})

describe('readAddress', () => {
  test('any case in, lower-case out', () => {
    expect(readAddress('0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe(
      '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
    )
    expect(readAddress(`0x${'AB'.repeat(20)}`)).toBe(`0x${'ab'.repeat(20)}`)
  })

  test.each([
    undefined,
    null,
    42,
    '',
    '0x',
    reserve.address.slice(0, 41),
    `${reserve.address}00`,
    reserve.address.slice(2),
    `0X${reserve.address.slice(2)}`,
    `0x${'g'.repeat(40)}`,
    ` ${reserve.address}`,
  ])('%s is no address', (value) => {
    expect(readAddress(value)).toBeUndefined()
  })
})

describe('assertSignableMessage', () => {
  test.each(['', 'x', 'agentpmt-external\nline', '0x1234', 'astral \u{1f600}', '\u0000'])(
    'accepts %j',
    (message) => {
      expect(() => assertSignableMessage(message)).not.toThrow()
    },
  )

  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'expected a string, got undefined'],
    ['a number', 12, 'expected a string, got number'],
    ['bytes', new TextEncoder().encode('hello'), 'expected a string, got a Uint8Array'],
    [
      'a lone high surrogate',
      'abc\ud800',
      'the message contains a lone surrogate, which UTF-8 cannot encode',
    ],
    [
      'a lone low surrogate',
      '\udc00abc',
      'the message contains a lone surrogate, which UTF-8 cannot encode',
    ],
  ])('refuses %s', async (_label, message, details) => {
    const error = await caught(() => assertSignableMessage(message))
    expect(error).toBeInstanceOf(InvalidMessageError)
    expect(error).toMatchObject({ details, docsPath: '/documents/Signing.html' })
  })
})

describe('createSignatureVerifier (with a noble recovery)', () => {
  test('vectors/signatures/personal-sign.json: every signer recovered', async () => {
    expect(signingCases.length).toBeGreaterThan(50)
    for (const item of signingCases) {
      expect(await recoverMessageSigner(item)).toBe(item.address)
      expect(await verifyMessageSignature(item)).toBe(true)
    }
  })

  test.each(verifyCases.map((item) => [item.id, item] as const))(
    'vectors/signatures/verify.json %s',
    async (_id, item) => {
      expect(await verifyMessageSignature(item)).toBe(item.valid)
      if (item.recovered === null)
        expect(await caught(() => recoverMessageSigner(item))).toBeInstanceOf(InvalidSignatureError)
      else expect(await recoverMessageSigner(item)).toBe(item.recovered)
    },
  )

  const notSignatures: unknown[] = [
    undefined,
    null,
    0,
    65,
    {},
    [],
    new Uint8Array(65),
    '0x',
    '0x00',
    `0x${'00'.repeat(65)}`,
    `0x${'ff'.repeat(65)}`,
    `0X${reserve.signature.slice(2)}`,
    ` ${reserve.signature}`,
    `${reserve.signature}\n`,
  ]
  test.each(notSignatures.map((value) => [String(value).slice(0, 20), value] as const))(
    'signature %s: verify false, recover throws InvalidSignatureError',
    async (_label, signature) => {
      const input = { address: reserve.address, message: reserve.message, signature } as never
      expect(await verifyMessageSignature(input)).toBe(false)
      const error = await caught(() => recoverMessageSigner(input))
      expect(error).toBeInstanceOf(InvalidSignatureError)
      expect(error).toBeInstanceOf(BaseError)
      expect((error as BaseError).name).toBe('Signature.InvalidSignatureError')
    },
  )

  test('an r that is no curve x coordinate is refused, not a crash', async () => {
    // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square modulo p): noble throws.
    const signature = `0x${hex32(5n)}${reserve.signature.slice(66)}`
    expect(await verifyMessageSignature({ ...reserve, signature })).toBe(false)
    const error = await caught(() => recoverMessageSigner({ ...reserve, signature }))
    expect(error).toBeInstanceOf(InvalidSignatureError)
    expect(error).toMatchObject({ details: 'no public key can be recovered from it' })
    expect((error as BaseError).cause).toBeInstanceOf(Error)
  })

  test.each([
    ['undefined', undefined],
    ['a number', 12],
    ['bytes', new TextEncoder().encode('hello')],
    ['a lone high surrogate', 'abc\ud800'],
    ['a lone low surrogate', '\udc00abc'],
  ])('message %s: verify false, recover throws InvalidMessageError', async (_label, message) => {
    const input = { ...reserve, message } as never
    expect(await verifyMessageSignature(input)).toBe(false)
    const error = await caught(() => recoverMessageSigner(input))
    expect(error).toBeInstanceOf(InvalidMessageError)
    expect((error as BaseError).name).toBe('Signature.InvalidMessageError')
  })

  test.each([
    undefined,
    null,
    '',
    '0x',
    reserve.address.slice(0, 41),
    `${reserve.address}00`,
    reserve.address.slice(2),
    `0x${'g'.repeat(40)}`,
  ])('address %s: verify false', async (address) => {
    expect(await verifyMessageSignature({ ...reserve, address } as never)).toBe(false)
  })

  test('the address is compared ignoring case, and recovered lower-case', async () => {
    const upper = `0x${reserve.address.slice(2).toUpperCase()}`
    expect(await verifyMessageSignature({ ...reserve, address: upper })).toBe(true)
    const shouting = createSignatureVerifier((message, parts) =>
      String(nobleRecover(message, parts)).toUpperCase().replace('0X', '0x'),
    )
    expect(await shouting.recoverMessageSigner(reserve)).toBe(reserve.address)
    expect(await shouting.verifyMessageSignature(reserve)).toBe(true)
  })

  test('error messages say what was wrong', async () => {
    const error = (await caught(() =>
      recoverMessageSigner({ ...reserve, signature: '0x1234' }),
    )) as InvalidSignatureError
    expect(error.shortMessage).toBe('Invalid signature.')
    expect(error.details).toBe('expected 65 bytes, got 2 bytes')
    expect(error.docsPath).toBe('/documents/Signing.html#verifying')
    expect(error.metaMessages).toEqual([
      'Expected 0x + 65 bytes (r, s, v) with v = 27/28 (or 0/1) and a low s.',
    ])
  })

  test('the primitive gets the parts with the recovery bit, and only for acceptable input', async () => {
    const recover = vi.fn(nobleRecover)
    const verifier = createSignatureVerifier(recover)
    const bit = reserve.signature.endsWith('1b') ? 0 : 1
    await verifier.recoverMessageSigner(reserve)
    await verifier.recoverMessageSigner({
      ...reserve,
      signature: `${reserve.signature.slice(0, 130)}0${bit}`,
    })
    const parts: SignatureParts = {
      r: BigInt(`0x${reserve.signature.slice(2, 66)}`),
      s: BigInt(`0x${reserve.signature.slice(66, 130)}`),
      yParity: bit,
    }
    expect(recover.mock.calls).toEqual([
      [reserve.message, parts],
      [reserve.message, parts],
    ])
    await verifier.verifyMessageSignature({ ...reserve, signature: '0x12' })
    await verifier.verifyMessageSignature({ ...reserve, message: '\ud800' })
    await verifier.verifyMessageSignature({ ...reserve, address: '0x12' })
    expect(recover).toHaveBeenCalledTimes(2)
  })

  test('a primitive may answer synchronously or asynchronously', async () => {
    const asynchronous = createSignatureVerifier(async (message, parts) =>
      nobleRecover(message, parts),
    )
    expect(await asynchronous.recoverMessageSigner(reserve)).toBe(reserve.address)
  })

  test('a primitive that rejects means no key can be recovered', async () => {
    const cause = new Error('library refused')
    const refusing = createSignatureVerifier(async () => {
      throw cause
    })
    const error = await caught(() => refusing.recoverMessageSigner(reserve))
    expect(error).toBeInstanceOf(InvalidSignatureError)
    expect((error as BaseError).cause).toBe(cause)
    expect(await refusing.verifyMessageSignature(reserve)).toBe(false)
  })

  test('a primitive that answers no address is a bug: verify rethrows it', async () => {
    const broken = createSignatureVerifier(() => 'nope')
    const error = await caught(() => broken.recoverMessageSigner(reserve))
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe('the recovery function returned string, not an address')
    expect(await caught(() => broken.verifyMessageSignature(reserve))).toBeInstanceOf(TypeError)
  })
})

describe('toMessageSigner', () => {
  const signerOf = (
    sign: (message: string) => Promise<unknown>,
    { check = true }: { check?: boolean } = {},
  ) =>
    toMessageSigner({
      label: 'TestSigner',
      address: reserve.address,
      sign,
      recoverMessageSigner: check ? recoverMessageSigner : undefined,
    })

  test.each([
    ['v = 27/28', { v: '27-28' }],
    ['v = 0/1', { v: 'bit' }],
    ['high s, v = 0/1', { highS: true, v: 'bit' }],
    ['high s, v = 27/28', { highS: true, v: '27-28' }],
  ] as const)('an answer with %s becomes the vector signature', async (_label, options) => {
    const answer = walletAnswer(reserve.privateKey, reserve.message, options)
    for (const check of [true, false]) {
      const signer = signerOf(async () => answer, { check })
      expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
    }
  })

  test('upper-case hex answers come back lower-case', async () => {
    const answer = `0x${reserve.signature.slice(2).toUpperCase()}`
    expect(await signerOf(async () => answer).signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('the wallet is asked for the message text, once', async () => {
    const sign = vi.fn(async (message: string) => walletAnswer(reserve.privateKey, message))
    await signerOf(sign).signMessage('0x1234')
    expect(sign.mock.calls).toEqual([['0x1234']])
  })

  test('an answer by another key gives SignerMismatchError', async () => {
    const signer = signerOf(async (message) => walletAnswer(otherKey.privateKey, message))
    const error = await caught(() => signer.signMessage(reserve.message))
    expect(error).toBeInstanceOf(SignerMismatchError)
    expect(error).toMatchObject({
      name: 'Signature.SignerMismatchError',
      expected: reserve.address,
      recovered: otherKey.address,
      details: `expected ${reserve.address}, recovered ${otherKey.address}`,
    })
  })

  test('without recoverMessageSigner the answer is not recovered', async () => {
    const recover = vi.fn(nobleRecover)
    const unchecked = toMessageSigner({
      label: 'TestSigner',
      address: reserve.address,
      sign: async () => otherKey.signature,
    })
    expect(await unchecked.signMessage(otherKey.message)).toBe(otherKey.signature)
    const checked = toMessageSigner({
      label: 'TestSigner',
      address: reserve.address,
      sign: async () => reserve.signature,
      recoverMessageSigner: createSignatureVerifier(recover).recoverMessageSigner,
    })
    await checked.signMessage(reserve.message)
    expect(recover).toHaveBeenCalledTimes(1)
  })

  test.each(['0x', `0x${'ab'.repeat(64)}`, 'nope', `${reserve.signature}00`, 42, undefined])(
    'an answer %s gives InvalidSignatureError',
    async (answer) => {
      const error = await caught(() => signerOf(async () => answer).signMessage('hi'))
      expect(error).toBeInstanceOf(InvalidSignatureError)
      expect((error as BaseError).details).toMatch(/^the wallet answered with a bad signature: /)
    },
  )

  test('a wallet that throws or rejects gives SigningFailedError with the cause', async () => {
    const cause = Object.assign(new Error('User rejected the request.'), { code: 4001 })
    const rejecting = signerOf(async () => {
      throw cause
    })
    const throwing = signerOf(() => {
      throw cause
    })
    for (const signer of [rejecting, throwing]) {
      const error = await caught(() => signer.signMessage('hi'))
      expect(error).toBeInstanceOf(SigningFailedError)
      expect((error as BaseError).cause).toBe(cause)
      expect((error as BaseError).walk()).toMatchObject({ code: 4001 })
    }
  })

  test('a message that is not well-formed text is refused before the wallet is asked', async () => {
    const sign = vi.fn(async () => reserve.signature)
    const signer = signerOf(sign)
    for (const message of ['\ud83e', new Uint8Array([1]), 42])
      expect(await caught(() => signer.signMessage(message as never))).toBeInstanceOf(
        InvalidMessageError,
      )
    expect(sign).not.toHaveBeenCalled()
  })

  test('the signer shows its address only and cannot be changed', () => {
    const key = reserve.privateKey.slice(2)
    const signer = signerOf(async (message) => walletAnswer(reserve.privateKey, message))
    expect(signer.address).toBe(reserve.address)
    expect(JSON.stringify(signer)).toBe(`{"address":"${reserve.address}"}`)
    expect(inspect(signer)).toBe(`TestSigner { address: '${reserve.address}' }`)
    for (const text of [
      inspect(signer, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      inspect(signer, { showHidden: true, depth: Number.POSITIVE_INFINITY, customInspect: false }),
      String(signer),
      JSON.stringify(Object.entries(signer)),
    ])
      expect(text.toLowerCase()).not.toContain(key)
    expect(Object.keys(signer).sort()).toEqual(['address', 'signMessage', 'toJSON'])
    expect(Object.isFrozen(signer)).toBe(true)
  })
})

describe('errors', () => {
  test('one set of classes, named after the module, all BaseErrors', () => {
    const errors = [
      new InvalidSignatureError({ details: 'd' }),
      new InvalidMessageError({ details: 'd' }),
      new UnsupportedSourceError({ details: 'd' }),
      new SigningFailedError({ cause: new Error('c') }),
      new SignerMismatchError({ expected: reserve.address, recovered: otherKey.address }),
    ]
    for (const error of errors) expect(error).toBeInstanceOf(BaseError)
    expect(
      errors.map(({ name, shortMessage, docsPath }) => [name, shortMessage, docsPath]),
    ).toEqual([
      [
        'Signature.InvalidSignatureError',
        'Invalid signature.',
        '/documents/Signing.html#verifying',
      ],
      ['Signature.InvalidMessageError', 'Invalid message.', '/documents/Signing.html'],
      ['Signature.UnsupportedSourceError', 'Unsupported signer source.', '/documents/Signing.html'],
      [
        'Signature.SigningFailedError',
        'The wallet did not sign the message.',
        '/documents/Signing.html',
      ],
      [
        'Signature.SignerMismatchError',
        'The signature does not recover to the signer address.',
        '/documents/Signing.html',
      ],
    ])
  })

  test('a cause is kept where one is given', () => {
    const cause = new Error('locked')
    expect(new UnsupportedSourceError({ details: 'getAddress() failed', cause }).cause).toBe(cause)
    expect(new UnsupportedSourceError({ details: 'd' }).cause).toBeUndefined()
    expect(new InvalidSignatureError({ details: 'd', cause }).cause).toBe(cause)
  })
})

describe('a missing argument object', () => {
  test('recoverMessageSigner() is a typed error', async () => {
    await expect(recoverMessageSigner(undefined as never)).rejects.toThrowError(
      expect.objectContaining({ name: 'Signature.InvalidMessageError' }),
    )
  })

  test('verifyMessageSignature() is false', async () => {
    await expect(verifyMessageSignature(undefined as never)).resolves.toBe(false)
  })
})
