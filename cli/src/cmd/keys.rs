//! Key files: read bounded and zeroed on drop, and turned into the keys that sign or verify
//! checkpoints.

use std::io::Read;
use std::path::{Path, PathBuf};

use chuangzheng::ledger::{SigningKey, VerifyingKey, checkpoint};
use zeroize::Zeroizing;

use crate::args::SigningArgs;
use crate::failure::{Failure, io_failure, usage};

/// A key file's bytes, bounded; zeroed when dropped.
fn read_key(path: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(checkpoint::MAX_KEY_FILE_BYTES)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| io_failure("读取", path, &e))?;
    Ok(bytes)
}

/// The keys `verify` checks checkpoints with: `--public-key` (SM2) and `--hmac-key` files.
pub fn verifying_keys(public: &[PathBuf], hmac: &[PathBuf]) -> Result<Vec<VerifyingKey>, Failure> {
    let sm2 = public
        .iter()
        .map(|p| Ok(VerifyingKey::sm2_spki(&read_key(p)?)?));
    let hmac = hmac
        .iter()
        .map(|p| Ok(VerifyingKey::hmac_sm3(&read_key(p)?)?));
    sm2.chain(hmac).collect()
}

/// The key that signs checkpoints: `--sign-key` (SM2) or `--hmac-key`, named `--key-id`;
/// `None` when neither is given. `every` says whether `--every` was given, which needs a key.
pub fn signing_key(a: &SigningArgs, every: bool) -> Result<Option<SigningKey>, Failure> {
    let (file, sm2) = match (&a.sign_key, &a.hmac_key) {
        (None, None) => {
            return match a.key_id.is_some() || every {
                true => Err(usage(
                    "--key-id 与 --every 须与 --sign-key 或 --hmac-key 一起使用",
                    "--key-id and --every need --sign-key or --hmac-key",
                )),
                false => Ok(None),
            };
        }
        (Some(p), None) => (p, true),
        (None, Some(p)) => (p, false),
        (Some(_), Some(_)) => {
            return Err(usage(
                "只能给一个签名密钥：--sign-key 或 --hmac-key",
                "one signing key: --sign-key or --hmac-key",
            ));
        }
    };
    let Some(key_id) = &a.key_id else {
        return Err(usage(
            "签名须用 --key-id 给出密钥标识（写入检查点，供核验时辨认）",
            "signing needs --key-id, the key's name written in each checkpoint",
        ));
    };
    let bytes = read_key(file)?;
    let key = match sm2 {
        true => SigningKey::sm2_pkcs8(&bytes, key_id)?,
        false => SigningKey::hmac_sm3(&bytes, key_id)?,
    };
    Ok(Some(key))
}
