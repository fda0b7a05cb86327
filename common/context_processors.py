from common.policy import POLICY


def policy(request) -> dict:
    """Templates show SPEC numbers from the one policy object: ``{{ POLICY.return_window_days }}``."""
    return {"POLICY": POLICY}
