"""ocop-bot: one conversation core for Vietnam's OCOP programme, several doors."""
