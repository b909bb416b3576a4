//! Checkpoints: journal records that a host's key vouches for.
//!
//! The hash chain is unkeyed: it detects any accidental or casual change, but whoever can
//! rewrite the whole journal can seal it again. A checkpoint is a record, sealed into the chain
//! like any other, that carries the hash of the chain through the record before it and a
//! signature over that, made with a key only the host holds: an SM2 signature (GB/T 32918,
//! SM3 as its hash) or an HMAC-SM3. Rewriting what a checkpoint covers breaks either its `h`
//! (the chain no longer reaches it) or its signature (under the key).
//!
//! ```text
//! {"seq":7,"at":"2010-05-01","checkpoint":{"through":6,"h":"<64 hex>","alg":"sm2","key_id":"ops-2026","sig":"<128 hex>"},"h":"<64 hex>"}
//! ```
//!
//! - `through` is `seq` − 1 and `h` that record's hash (the header's when `through` is 0 is
//!   refused: a checkpoint follows at least one record).
//! - `at` is the latest effective date among the records before it: the library never reads
//!   the clock.
//! - The signed bytes are the record's line from its first byte up to, not including,
//!   `,"sig":"`. SM2 signs them with the distinguishing identifier `1234567812345678` (the
//!   default of GM/T 0009) and writes `r` and `s` as 32 bytes each, big-endian, 128 lowercase
//!   hex digits in all; HMAC-SM3 writes its 32 bytes as 64 lowercase hex digits.
//!
//! The key is the host's: passed to each call that writes a checkpoint and dropped after it,
//! never stored in the campaign or the journal. Key material held here is zeroed when dropped
//! (the HMAC key and the SM2 secret key; the SM2 signing routine of the `sm2` crate keeps a
//! transient copy of the scalar that it does not zero).

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::pkcs8::{DecodePrivateKey, DecodePublicKey};
use zeroize::Zeroizing;

use super::JournalError;
use super::journal::{Hash, hash_from_hex, hash_hex};
use crate::model::{ExtId, Stamp};

/// The SM2 distinguishing identifier every checkpoint signature uses: GM/T 0009's default.
pub const SM2_DISTID: &str = "1234567812345678";

/// The shortest HMAC key taken, in bytes (128 bits).
pub const MIN_HMAC_KEY_BYTES: usize = 16;
/// The longest HMAC key taken, in bytes.
pub const MAX_HMAC_KEY_BYTES: usize = 1024;
/// The longest key file read, in bytes (a PEM key is a few hundred).
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// A checkpoint's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Alg {
    /// An SM2 signature with SM3 (GB/T 32918.2), checked with the public key alone.
    #[serde(rename = "sm2")]
    Sm2,
    /// An HMAC with SM3 (GB/T 15852.2 with GB/T 32905): checked with the same secret key.
    #[serde(rename = "hmac-sm3")]
    HmacSm3,
}

impl Alg {
    /// The name in the journal: `sm2` or `hmac-sm3`.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Sm2 => "sm2",
            Alg::HmacSm3 => "hmac-sm3",
        }
    }

    /// Parses the name in the journal.
    pub fn from_name(name: &str) -> Option<Alg> {
        match name {
            "sm2" => Some(Alg::Sm2),
            "hmac-sm3" => Some(Alg::HmacSm3),
            _ => None,
        }
    }

    /// How long a signature is, in bytes.
    pub fn sig_len(self) -> usize {
        match self {
            Alg::Sm2 => 64,
            Alg::HmacSm3 => 32,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which key a [`KeyError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An SM2 private key (PKCS#8, PEM or DER).
    Sm2Private,
    /// An SM2 public key (SubjectPublicKeyInfo, PEM or DER).
    Sm2Public,
    /// An HMAC-SM3 key (raw bytes).
    Hmac,
}

impl KeyKind {
    pub(crate) fn en(self) -> &'static str {
        match self {
            KeyKind::Sm2Private => "SM2 private key",
            KeyKind::Sm2Public => "SM2 public key",
            KeyKind::Hmac => "HMAC-SM3 key",
        }
    }

    pub(crate) fn zh(self) -> &'static str {
        match self {
            KeyKind::Sm2Private => "SM2 私钥",
            KeyKind::Sm2Public => "SM2 公钥",
            KeyKind::Hmac => "HMAC-SM3 密钥",
        }
    }
}

/// Why a key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// A PEM "EC PRIVATE KEY" (SEC1) where PKCS#8 is read.
    Sec1,
    /// An encrypted PKCS#8 key.
    Encrypted,
    /// A private key where the public key is asked for.
    PrivateForPublic,
    /// A public key where the private key is asked for.
    PublicForPrivate,
    /// Not a key of this kind, or not on the SM2 curve: the parser's words.
    Malformed(String),
    /// An HMAC key shorter than [`MIN_HMAC_KEY_BYTES`].
    TooShort(usize),
    /// An HMAC key longer than [`MAX_HMAC_KEY_BYTES`].
    TooLong(usize),
    /// The key id is not an identifier (1–64 bytes, no control characters or surrounding
    /// white space).
    KeyId(String),
    /// The signing routine failed (not seen in practice: the SM2 nonce was rejected).
    Signing,
}

impl KeyProblem {
    fn en(&self) -> String {
        match self {
            KeyProblem::Sec1 => "an \"EC PRIVATE KEY\" (SEC1); a PKCS#8 \"PRIVATE KEY\" is read: convert it with `openssl pkcs8 -topk8 -nocrypt`".into(),
            KeyProblem::Encrypted => "an encrypted PKCS#8 key; give it decrypted (`openssl pkcs8 -nocrypt`)".into(),
            KeyProblem::PrivateForPublic => "a private key; give the public key (`openssl pkey -pubout`)".into(),
            KeyProblem::PublicForPrivate => "a public key; signing needs the private key".into(),
            KeyProblem::Malformed(why) => format!("not a key of this kind on the SM2 curve: {why}"),
            KeyProblem::TooShort(n) => format!("{n} bytes, shorter than the {MIN_HMAC_KEY_BYTES} bytes an HMAC key needs"),
            KeyProblem::TooLong(n) => format!("{n} bytes, longer than the {MAX_HMAC_KEY_BYTES} taken"),
            KeyProblem::KeyId(why) => format!("key id: {why}"),
            KeyProblem::Signing => "the signature could not be made".into(),
        }
    }

    fn zh(&self) -> String {
        match self {
            KeyProblem::Sec1 => "为 SEC1 格式（EC PRIVATE KEY），只读 PKCS#8 格式（PRIVATE KEY），可用 `openssl pkcs8 -topk8 -nocrypt` 转换".into(),
            KeyProblem::Encrypted => "为加密的 PKCS#8 密钥，须先解密（`openssl pkcs8 -nocrypt`）".into(),
            KeyProblem::PrivateForPublic => "为私钥，此处须给公钥（`openssl pkey -pubout`）".into(),
            KeyProblem::PublicForPrivate => "为公钥，签名须用私钥".into(),
            KeyProblem::Malformed(_) => "不是此类密钥，或不在 SM2 曲线上（详见英文说明）".into(),
            KeyProblem::TooShort(n) => format!("长 {n} 字节，HMAC 密钥至少 {MIN_HMAC_KEY_BYTES} 字节"),
            KeyProblem::TooLong(n) => format!("长 {n} 字节，超过上限 {MAX_HMAC_KEY_BYTES} 字节"),
            KeyProblem::KeyId(_) => "密钥标识无效，须为 1 至 64 字节、无控制字符、首尾无空白的标识（详见英文说明）".into(),
            KeyProblem::Signing => "无法生成签名".into(),
        }
    }
}

/// A key that cannot be used (4012): which key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    /// Which key.
    pub kind: KeyKind,
    /// Why.
    pub problem: KeyProblem,
}

impl KeyError {
    fn new(kind: KeyKind, problem: KeyProblem) -> KeyError {
        KeyError { kind, problem }
    }

    pub(crate) fn message_zh(&self) -> String {
        format!("{}无法使用：{}", self.kind.zh(), self.problem.zh())
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.en(), self.problem.en())
    }
}

impl std::error::Error for KeyError {}

impl crate::Coded for KeyError {
    fn code(&self) -> u32 {
        4012
    }

    fn message_zh(&self) -> String {
        KeyError::message_zh(self)
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

impl From<KeyError> for JournalError {
    fn from(e: KeyError) -> JournalError {
        JournalError::Key(e)
    }
}

/// The PEM label of `bytes` if they are PEM text (`-----BEGIN <label>-----`).
fn pem_label(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?.trim_start();
    let rest = text.strip_prefix("-----BEGIN ")?;
    Some(&rest[..rest.find("-----")?])
}

fn key_id(id: &str) -> Result<ExtId, KeyProblem> {
    ExtId::new("key_id", id).map_err(|e| KeyProblem::KeyId(crate::Coded::message_en(&e)))
}

enum Secret {
    Sm2(sm2::SecretKey),
    Hmac(Zeroizing<Vec<u8>>),
}

/// A key that writes checkpoints: an SM2 private key or an HMAC-SM3 key, with the id the
/// journal names it by. Its secret is zeroed when it is dropped.
///
/// ```
/// use chuangzheng::ledger::{Alg, SigningKey};
///
/// let key = SigningKey::hmac_sm3(&[7u8; 32], "ops-2026")?;
/// assert_eq!(key.alg(), Alg::HmacSm3);
/// assert_eq!(key.key_id().as_str(), "ops-2026");
/// // Too short to be a key:
/// assert!(SigningKey::hmac_sm3(b"secret", "ops-2026").is_err());
/// # Ok::<(), chuangzheng::ledger::KeyError>(())
/// ```
pub struct SigningKey {
    secret: Secret,
    key_id: ExtId,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// An SM2 private key in PKCS#8, PEM (`-----BEGIN PRIVATE KEY-----`) or DER, as
    /// `openssl genpkey -algorithm SM2` writes it.
    pub fn sm2_pkcs8(key: &[u8], key_id: &str) -> Result<SigningKey, KeyError> {
        let fail = |p| KeyError::new(KeyKind::Sm2Private, p);
        let key_id = self::key_id(key_id).map_err(fail)?;
        let secret = match pem_label(key) {
            Some("PRIVATE KEY") => {
                let text = std::str::from_utf8(key).unwrap_or_default();
                sm2::SecretKey::from_pkcs8_pem(text)
            }
            Some("EC PRIVATE KEY" | "SM2 PRIVATE KEY") => return Err(fail(KeyProblem::Sec1)),
            Some("ENCRYPTED PRIVATE KEY") => return Err(fail(KeyProblem::Encrypted)),
            Some("PUBLIC KEY") => return Err(fail(KeyProblem::PublicForPrivate)),
            Some(other) => {
                let why = format!("a PEM {other:?}, not a \"PRIVATE KEY\"");
                return Err(fail(KeyProblem::Malformed(why)));
            }
            None => sm2::SecretKey::from_pkcs8_der(key),
        }
        .map_err(|e| match sm2::SecretKey::from_sec1_der(key) {
            // `openssl pkey -outform DER` writes SEC1: say so, and how to convert it.
            Ok(_) => fail(KeyProblem::Sec1),
            Err(_) => fail(KeyProblem::Malformed(e.to_string())),
        })?;
        Ok(SigningKey {
            secret: Secret::Sm2(secret),
            key_id,
        })
    }

    /// An HMAC-SM3 key: its bytes exactly as given (a file's whole content, a trailing newline
    /// included), [`MIN_HMAC_KEY_BYTES`] to [`MAX_HMAC_KEY_BYTES`] of them.
    pub fn hmac_sm3(key: &[u8], key_id: &str) -> Result<SigningKey, KeyError> {
        let fail = |p| KeyError::new(KeyKind::Hmac, p);
        let key_id = self::key_id(key_id).map_err(fail)?;
        check_hmac_len(key.len()).map_err(fail)?;
        Ok(SigningKey {
            secret: Secret::Hmac(Zeroizing::new(key.to_vec())),
            key_id,
        })
    }

    /// The algorithm it signs with.
    pub fn alg(&self) -> Alg {
        match self.secret {
            Secret::Sm2(_) => Alg::Sm2,
            Secret::Hmac(_) => Alg::HmacSm3,
        }
    }

    /// The id the journal names it by.
    pub fn key_id(&self) -> &ExtId {
        &self.key_id
    }

    /// The key that checks its checkpoints: the SM2 public key, or the same HMAC key.
    pub fn verifying_key(&self) -> VerifyingKey {
        match &self.secret {
            Secret::Sm2(s) => VerifyingKey {
                inner: Public::Sm2(s.public_key()),
            },
            Secret::Hmac(k) => VerifyingKey {
                inner: Public::Hmac(k.clone()),
            },
        }
    }

    /// Signs `msg`: `r ‖ s` (64 bytes) or the HMAC (32 bytes).
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, KeyError> {
        let fail = |kind| KeyError::new(kind, KeyProblem::Signing);
        match &self.secret {
            Secret::Sm2(secret) => {
                let signer = sm2::dsa::SigningKey::new(SM2_DISTID, secret)
                    .map_err(|_| fail(KeyKind::Sm2Private))?;
                let sig: sm2::dsa::Signature = signer
                    .try_sign(msg)
                    .map_err(|_| fail(KeyKind::Sm2Private))?;
                Ok(sig.to_bytes().to_vec())
            }
            Secret::Hmac(key) => {
                let mut mac = <Hmac<sm3::Sm3> as KeyInit>::new_from_slice(key)
                    .map_err(|_| fail(KeyKind::Hmac))?;
                mac.update(msg);
                Ok(mac.finalize().into_bytes().to_vec())
            }
        }
    }
}

fn check_hmac_len(len: usize) -> Result<(), KeyProblem> {
    if len < MIN_HMAC_KEY_BYTES {
        return Err(KeyProblem::TooShort(len));
    }
    if len > MAX_HMAC_KEY_BYTES {
        return Err(KeyProblem::TooLong(len));
    }
    Ok(())
}

#[derive(Clone)]
enum Public {
    Sm2(sm2::PublicKey),
    Hmac(Zeroizing<Vec<u8>>),
}

/// A key that checks checkpoints: an SM2 public key, or the HMAC-SM3 key itself.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: Public,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("alg", &self.alg())
            .finish_non_exhaustive()
    }
}

impl VerifyingKey {
    /// An SM2 public key as a SubjectPublicKeyInfo, PEM (`-----BEGIN PUBLIC KEY-----`) or
    /// DER, as `openssl pkey -pubout` writes it.
    pub fn sm2_spki(key: &[u8]) -> Result<VerifyingKey, KeyError> {
        let fail = |p| KeyError::new(KeyKind::Sm2Public, p);
        let public = match pem_label(key) {
            Some("PUBLIC KEY") => {
                let text = std::str::from_utf8(key).unwrap_or_default();
                sm2::PublicKey::from_public_key_pem(text)
            }
            Some(
                "PRIVATE KEY" | "EC PRIVATE KEY" | "SM2 PRIVATE KEY" | "ENCRYPTED PRIVATE KEY",
            ) => {
                return Err(fail(KeyProblem::PrivateForPublic));
            }
            Some(other) => {
                let why = format!("a PEM {other:?}, not a \"PUBLIC KEY\"");
                return Err(fail(KeyProblem::Malformed(why)));
            }
            None => sm2::PublicKey::from_public_key_der(key),
        }
        .map_err(|e| fail(KeyProblem::Malformed(e.to_string())))?;
        Ok(VerifyingKey {
            inner: Public::Sm2(public),
        })
    }

    /// An HMAC-SM3 key, as [`SigningKey::hmac_sm3`] takes it.
    pub fn hmac_sm3(key: &[u8]) -> Result<VerifyingKey, KeyError> {
        check_hmac_len(key.len()).map_err(|p| KeyError::new(KeyKind::Hmac, p))?;
        Ok(VerifyingKey {
            inner: Public::Hmac(Zeroizing::new(key.to_vec())),
        })
    }

    /// The algorithm it checks.
    pub fn alg(&self) -> Alg {
        match self.inner {
            Public::Sm2(_) => Alg::Sm2,
            Public::Hmac(_) => Alg::HmacSm3,
        }
    }

    /// Whether `sig` is this key's signature over `msg`.
    pub(crate) fn verifies(&self, msg: &[u8], sig: &[u8]) -> bool {
        match &self.inner {
            Public::Sm2(public) => sm2_verifies(SM2_DISTID, public, msg, sig),
            Public::Hmac(key) => {
                let Ok(mut mac) = <Hmac<sm3::Sm3> as KeyInit>::new_from_slice(key) else {
                    return false;
                };
                mac.update(msg);
                mac.verify_slice(sig).is_ok()
            }
        }
    }
}

/// Whether `sig` (`r ‖ s`, 64 bytes) is an SM2 signature over `msg` by `public` with the
/// distinguishing identifier `distid`.
fn sm2_verifies(distid: &str, public: &sm2::PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(key) = sm2::dsa::VerifyingKey::new(distid, *public) else {
        return false;
    };
    let Ok(sig) = sm2::dsa::Signature::from_slice(sig) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}

/// What a checkpoint record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The last record it covers: its own `seq` − 1.
    pub through: u64,
    /// That record's hash.
    #[serde(with = "hex_hash")]
    pub h: Hash,
    /// The algorithm.
    pub alg: Alg,
    /// The host's name for the key.
    pub key_id: ExtId,
    /// The signature: `r ‖ s` for SM2, the HMAC for HMAC-SM3.
    #[serde(with = "hex_bytes")]
    pub sig: Vec<u8>,
}

/// A checkpoint record of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointRecord {
    /// Its sequence number.
    pub seq: u64,
    /// The latest effective date among the records before it.
    pub at: Stamp,
    /// What it says.
    pub checkpoint: Checkpoint,
}

/// `,"sig":""}}`: how the record ends when serialized with an empty signature.
const EMPTY_SIG_END: &[u8] = b",\"sig\":\"\"}}";

impl CheckpointRecord {
    /// The bytes its signature covers: the record's line up to, not including, `,"sig":"`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = CheckpointRecord {
            checkpoint: Checkpoint {
                sig: Vec::new(),
                ..self.checkpoint.clone()
            },
            ..self.clone()
        };
        // Plain data: serializing cannot fail.
        let mut out = serde_json::to_vec(&unsigned).unwrap_or_default();
        debug_assert!(out.ends_with(EMPTY_SIG_END), "sig is the last field");
        out.truncate(out.len().saturating_sub(EMPTY_SIG_END.len()));
        out
    }

    /// A new checkpoint at `seq`, through the record whose hash is `h`, signed by `key`.
    pub(crate) fn sign(
        seq: u64,
        at: Stamp,
        h: Hash,
        key: &SigningKey,
    ) -> Result<CheckpointRecord, KeyError> {
        let mut record = CheckpointRecord {
            seq,
            at,
            checkpoint: Checkpoint {
                through: seq - 1,
                h,
                alg: key.alg(),
                key_id: key.key_id.clone(),
                sig: Vec::new(),
            },
        };
        record.checkpoint.sig = key.sign(&record.signed_bytes())?;
        debug_assert!(
            key.verifying_key()
                .verifies(&record.signed_bytes(), &record.checkpoint.sig)
        );
        Ok(record)
    }

    /// Whether one of `keys` of its algorithm verifies its signature; `None` when no key of
    /// its algorithm is given.
    pub fn verifies_under(&self, keys: &[VerifyingKey]) -> Option<bool> {
        let alg = self.checkpoint.alg;
        let mut of_alg = keys.iter().filter(|k| k.alg() == alg).peekable();
        of_alg.peek()?;
        let msg = self.signed_bytes();
        Some(of_alg.any(|k| k.verifies(&msg, &self.checkpoint.sig)))
    }

    /// Checks what a reader can without a key: it follows the record whose seq and hash are
    /// given, its signature has its algorithm's length, and its line is in canonical form.
    pub(crate) fn check_place(
        &self,
        prev_seq: u64,
        prev_hash: &Hash,
        line: &[u8],
    ) -> Result<(), String> {
        let cp = &self.checkpoint;
        if prev_seq == 0 {
            return Err("a checkpoint before any record".into());
        }
        if cp.through != prev_seq {
            return Err(format!(
                "checkpoint through {} is not the record before it ({prev_seq})",
                cp.through
            ));
        }
        if cp.h != *prev_hash {
            return Err(format!(
                "checkpoint h {} is not the hash of record {prev_seq}: moved, or copied from another journal",
                hash_hex(&cp.h)
            ));
        }
        if cp.sig.len() != cp.alg.sig_len() {
            return Err(format!(
                "checkpoint sig is {} bytes; {} signs {}",
                cp.sig.len(),
                cp.alg,
                cp.alg.sig_len()
            ));
        }
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        // The line is the record without its closing `}`, then the seal.
        let body = line.get(..line.len().saturating_sub(super::journal::SEAL_LEN));
        if body.is_none_or(|b| Some(b) != canonical.strip_suffix(b"}")) {
            return Err("checkpoint record not in canonical form".into());
        }
        Ok(())
    }
}

/// A checkpoint as read from a journal line (`seq`, `at`, `checkpoint`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckpointIn {
    pub seq: u64,
    pub at: Stamp,
    pub checkpoint: Checkpoint,
    #[allow(dead_code)]
    h: serde::de::IgnoredAny,
}

impl From<CheckpointIn> for CheckpointRecord {
    fn from(r: CheckpointIn) -> CheckpointRecord {
        CheckpointRecord {
            seq: r.seq,
            at: r.at,
            checkpoint: r.checkpoint,
        }
    }
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &super::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hash_hex(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Hash, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::hash_from_hex(&s)
            .ok_or_else(|| serde::de::Error::custom("not 64 lowercase hex digits"))
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let text: String = b
            .iter()
            .flat_map(|b| [DIGITS[(b >> 4) as usize], DIGITS[(b & 15) as usize]])
            .map(char::from)
            .collect();
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let bad = || serde::de::Error::custom("not lowercase hex digits in pairs");
        if s.len() % 2 != 0 || s.len() > 256 {
            return Err(bad());
        }
        s.as_bytes()
            .chunks(2)
            .map(|p| digit(p[0]).zip(digit(p[1])).map(|(h, l)| h << 4 | l))
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(bad)
    }
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_enum, binary_struct};

binary_enum!(Alg { Sm2, HmacSm3 });
binary_struct!(Checkpoint {
    through,
    h,
    alg,
    key_id,
    sig
});
binary_struct!(CheckpointRecord {
    seq,
    at,
    checkpoint
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The RustCrypto `sm2` crate's own test vector (tests/sm2dsa.rs of sm2 0.14), made with
    /// OpenSSL: `openssl pkeyutl -sign -digest sm3 -pkeyopt distid:example@rustcrypto.org`
    /// over "testing". Checks the verification path checkpoints use, with that identifier.
    #[test]
    fn an_sm2_signature_made_by_openssl_verifies_and_a_changed_one_does_not() {
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        let public = hex(
            "0408D77AE04C01CC4C1104360DD8AF6B6F7DF334283D7C1A6AFD5652407B87BEE5014E2A57C36C150D16324DC664E31E6432359609C4E79847A5B161C8C7364C8A",
        );
        let public = sm2::PublicKey::from_sec1_bytes(&public).unwrap();
        let mut sig = hex(concat!(
            "d1dcccedd9fb785e0f67c16b7c52901625c0b69de9bca2144acc7be713cad2fc",
            "f7d1eae6e3a157b36c65f672f738ca8b46298bf149a6510072c431b49cd88b1c"
        ));
        let distid = "example@rustcrypto.org";
        assert!(sm2_verifies(distid, &public, b"testing", &sig));
        assert!(!sm2_verifies(distid, &public, b"testinG", &sig));
        assert!(!sm2_verifies(SM2_DISTID, &public, b"testing", &sig));
        sig[10] ^= 1;
        assert!(!sm2_verifies(distid, &public, b"testing", &sig));
        assert!(!sm2_verifies(distid, &public, b"testing", &sig[..63]));
    }

    /// HMAC-SM3 of RFC 2104's construction over the SM3 of GB/T 32905, checked against a value
    /// computed independently (Python: `hmac.new(b"k" * 16, b"abc", "sm3")`, OpenSSL's SM3).
    #[test]
    fn hmac_sm3_matches_an_independent_implementation() {
        let key = SigningKey::hmac_sm3(&[b'k'; 16], "k").unwrap();
        let mac = key.sign(b"abc").unwrap();
        assert_eq!(
            super::hash_hex(&mac.clone().try_into().unwrap()),
            HMAC_K16_ABC
        );
        assert!(key.verifying_key().verifies(b"abc", &mac));
        assert!(!key.verifying_key().verifies(b"abd", &mac));
    }

    const HMAC_K16_ABC: &str = "92809794eb5b12cf9b7307bc96fc5666156d0ef577a17b0686fdc855cd713925";
}
