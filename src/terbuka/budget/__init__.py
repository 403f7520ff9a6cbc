"""Parse Indonesian budget data: Permendagri 90/2019 (APBD) and 20/2018 (APBDes) codes,
Indonesian amount strings, and DJPK APBD summaries. Framework-free."""
