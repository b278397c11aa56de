// PostgreSQL reports errors by SQLSTATE; OpenTelemetry's recordException uses an error's `code`
// as `exception.type`, so pg's errors arrive typed `42601`. The condition names below are
// PostgreSQL's own (Appendix A, "PostgreSQL Error Codes"); an unknown code keeps its class name.
const NAMES: Record<string, string> = {
  '08000': 'connection_exception', '08003': 'connection_does_not_exist', '08006': 'connection_failure',
  '0A000': 'feature_not_supported', '21000': 'cardinality_violation',
  '22001': 'string_data_right_truncation', '22003': 'numeric_value_out_of_range', '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow', '22012': 'division_by_zero', '22P02': 'invalid_text_representation',
  '23000': 'integrity_constraint_violation', '23502': 'not_null_violation', '23503': 'foreign_key_violation',
  '23505': 'unique_violation', '23514': 'check_violation', '23P01': 'exclusion_violation',
  '25P02': 'in_failed_sql_transaction', '28P01': 'invalid_password', '3D000': 'invalid_catalog_name',
  '40001': 'serialization_failure', '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege', '42601': 'syntax_error', '42602': 'invalid_name', '42611': 'invalid_column_definition',
  '42622': 'name_too_long', '42701': 'duplicate_column', '42702': 'ambiguous_column', '42703': 'undefined_column',
  '42704': 'undefined_object', '42710': 'duplicate_object', '42723': 'duplicate_function', '42803': 'grouping_error',
  '42804': 'datatype_mismatch', '42830': 'invalid_foreign_key', '42883': 'undefined_function', '42P01': 'undefined_table',
  '42P02': 'undefined_parameter', '42P07': 'duplicate_table', '42P18': 'indeterminate_datatype',
  '53000': 'insufficient_resources', '53100': 'disk_full', '53200': 'out_of_memory', '53300': 'too_many_connections',
  '54000': 'program_limit_exceeded', '55P03': 'lock_not_available', '57014': 'query_canceled',
  '57P01': 'admin_shutdown', '57P03': 'cannot_connect_now', 'XX000': 'internal_error',
};
const CLASSES: Record<string, string> = {
  '08': 'connection_exception', '22': 'data_exception', '23': 'integrity_constraint_violation', '25': 'invalid_transaction_state',
  '28': 'invalid_authorization_specification', '40': 'transaction_rollback', '42': 'syntax_error_or_access_rule_violation',
  '53': 'insufficient_resources', '54': 'program_limit_exceeded', '55': 'object_not_in_prerequisite_state',
  '57': 'operator_intervention', '58': 'system_error', 'XX': 'internal_error',
};
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The condition name of a SQLSTATE-looking exception type on a database span, else undefined. */
export function sqlStateName(type: string, dbSystem: string | undefined, stack: string | undefined): string | undefined {
  if (!SQLSTATE.test(type) || !/\d/.test(type)) return undefined;
  // Only where the type is known to be a SQLSTATE: a database span, or pg's `error: …` stack head.
  if (!dbSystem && !(stack && /^error: /.test(stack))) return undefined;
  return NAMES[type] ?? CLASSES[type.slice(0, 2)] ?? 'database_error';
}
