using System.Data;
using System.Data.Common;

namespace PLaw.Registry.Storage;

/// <summary>Parameters of the registry's raw SQL: typed, their values set per row when a prepared statement runs for many.</summary>
internal static class DbCommandParameters
{
    public static DbParameter AddParameter(this DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A provider's own parameter (a PostgreSQL type DbType cannot name).</summary>
    public static T AddParameter<T>(this DbCommand command, T parameter) where T : DbParameter
    {
        command.Parameters.Add(parameter);
        return parameter;
    }
}
