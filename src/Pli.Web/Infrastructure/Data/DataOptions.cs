using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public sealed class DataOptions
{
    public const string Section = "Data";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/pli.db";
}
