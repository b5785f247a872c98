using Npgsql;

namespace Pli.Web.Tests.Infrastructure;

/// <summary>The end of a test's own PostgreSQL database.</summary>
public static class PostgresTestDatabase
{
    private const int Attempts = 6;

    /// <summary>
    /// Drops the database, terminating its sessions. PostgreSQL waits only 5 s for a terminated session
    /// to exit, which a loaded CI machine can exceed (55006, "being accessed by other users"); the drop
    /// is tried again then. A database that still will not go is left with a warning: its name is a
    /// test's own, and failing the whole run for it would hide the results of the tests themselves.
    /// </summary>
    public static void Drop(string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = new NpgsqlConnection(PostgresApp.ServerConnectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
                command.ExecuteNonQuery();
                return;
            }
            catch (PostgresException e) when (attempt < Attempts)
            {
                Console.Error.WriteLine($"dropping test database {database}: {e.SqlState} {e.MessageText}; trying again");
                Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
            catch (PostgresException e)
            {
                Console.Error.WriteLine($"warning: test database {database} left behind after {Attempts} attempts: {e.SqlState} {e.MessageText}");
                return;
            }
        }
    }
}
