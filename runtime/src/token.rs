// The chain's token, read both by the runtime and by `build.rs` (which bakes it into the
// metadata hash that `CheckMetadataHash` verifies), so the two can never disagree.

/// Symbol of the chain's token, shown by wallets.
pub const TOKEN_SYMBOL: &str = "HCT";
/// Number of decimals of the chain's token: one HCT is `10^TOKEN_DECIMALS` base units.
pub const TOKEN_DECIMALS: u8 = 12;
