"""Part C4: reusable packaging (types with a deposit, physical packages, their loops, deposit
refunds on return and the emissions avoided against single-use packaging)."""
