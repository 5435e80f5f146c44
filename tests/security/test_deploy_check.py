"""`parcours check --deploy` is clean with the production variables: every check, not only the security tag."""

from tests.security.test_configuration import PRODUCTION_ENV, _parcours


def test_check_deploy_has_no_warning_at_all():
    # The API schema's warnings (drf-spectacular) count too: they are fixed at their source, not silenced.
    result = _parcours("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout
