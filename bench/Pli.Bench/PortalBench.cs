using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Portal;
using Pli.Web.Tests.Infrastructure;

/// <summary>
/// Pli on its own PostgreSQL database, as the integration tests host it, but with connection pooling on
/// (the fixture turns it off so that a dropped test database has no idle connection left; production pools).
/// </summary>
internal sealed class BenchPostgresApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : PostgresApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var all = new Dictionary<string, string?> { ["Security:SecureCookies"] = "false" };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }
            return all;
        }
    }

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(base.ConnectionString) { Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>Closes the pooled connections, so that the fixture can drop the database.</summary>
    protected override void Dispose(bool disposing)
    {
        NpgsqlConnection.ClearAllPools();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Portal benchmark: N published consultations (varied titles, objects, CPV, buyers, deadlines, a few
/// closed) in PostgreSQL; the latency of the portal's search by reference and by keywords over real
/// Kestrel, then the list page's throughput with wrk against a static file of the same server.
/// </summary>
internal static class PortalBench
{
    private static readonly string[] Works =
    [
        "Réhabilitation", "Construction", "Rénovation énergétique", "Extension", "Démolition", "Mise en accessibilité",
        "Réfection des toitures", "Désamiantage", "Aménagement", "Entretien", "Maintenance", "Ravalement des façades",
    ];

    private static readonly string[] Buildings =
    [
        "de l'école élémentaire", "du groupe scolaire", "du collège", "de la médiathèque", "du gymnase", "de la piscine municipale",
        "de l'hôtel de ville", "du centre technique", "de la crèche", "du stade", "de l'EHPAD", "du conservatoire", "des voiries",
        "du réseau d'assainissement", "de l'éclairage public", "du parc urbain", "de la halle du marché", "du musée",
    ];

    private static readonly string[] Names =
    [
        "Jean Jaurès", "Victor Hugo", "Jules Ferry", "Louis Pasteur", "Marie Curie", "Simone Veil", "Jean Moulin", "Émile Zola",
        "Paul Éluard", "Aimé Césaire", "des Tilleuls", "des Chartreux", "de la Belle de Mai", "du Vieux-Port", "Saint-Exupéry",
    ];

    private static readonly string[] Supplies =
    [
        "Fourniture de denrées alimentaires pour la restauration scolaire", "Acquisition de véhicules électriques",
        "Fourniture de mobilier de bureau", "Achat de matériel informatique", "Fourniture de produits d'entretien",
        "Location et maintenance de photocopieurs", "Fourniture de vêtements de travail", "Acquisition de bennes à ordures ménagères",
        "Fourniture de carburants", "Fourniture de fournitures scolaires", "Acquisition de licences logicielles",
    ];

    private static readonly string[] Services =
    [
        "Nettoyage des locaux", "Gardiennage et surveillance", "Transport scolaire", "Collecte des déchets ménagers",
        "Maîtrise d'œuvre", "Assistance à maîtrise d'ouvrage", "Tierce maintenance applicative", "Formation des agents",
        "Entretien des espaces verts", "Contrôle technique et coordination SPS", "Prestations de traiteur", "Audit énergétique",
    ];

    private static readonly string[] Places =
    [
        "Marseille (13001)", "Marseille (13011)", "Aix-en-Provence", "Aubagne", "Toulon", "Nice", "Lyon (69003)", "Villeurbanne",
        "Saint-Étienne", "Grenoble", "Montpellier", "Nîmes", "Avignon", "Bouches-du-Rhône", "Var", "Alpes-Maritimes",
        "Toulouse", "Bordeaux", "Nantes", "Rennes", "Lille", "Strasbourg", "Clermont-Ferrand", "Dijon",
    ];

    private static readonly string[] Details =
    [
        "Le marché comprend les études d'exécution, les travaux et la garantie de parfait achèvement.",
        "Les prestations sont réparties en lots séparés ; variantes autorisées.",
        "Visite sur site obligatoire avant la remise des offres.",
        "Clause d'insertion sociale : 5 % des heures travaillées.",
        "Marché à bons de commande d'une durée d'un an reconductible trois fois.",
        "Critères : valeur technique 60 %, prix 40 %.",
        "Performance environnementale attendue : matériaux biosourcés, réemploi.",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--consultations", 100_000);
        var requests = Option(args, "--requests", 500);
        var wrkSeconds = Option(args, "--wrk-seconds", 10);
        var wrkConnections = Option(args, "--wrk-connections", 16);
        var randomPageCost = double.Parse(OptionText(args, "--random-page-cost", "1.1"), CultureInfo.InvariantCulture);

        using var app = new BenchPostgresApp(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        var baseUrl = app.StartOnKestrel();
        var clock = Stopwatch.StartNew();
        var references = await SeedAsync(app, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count} consultations in {clock.Elapsed.TotalSeconds:F1} s"));
        await app.WithDb(db => db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE"));
        await SetRandomPageCostAsync(app, randomPageCost);

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl };
        var random = new Random(7);

        // The page's own route: a reference that exists is a redirect to its page (302), measured as such.
        await MeasureAsync("reference (page, 302)", client, requests, HttpStatusCode.Redirect,
            _ => "/?reference=" + Uri.EscapeDataString(references[random.Next(references.Count)]));
        await MeasureAsync("reference (API)", client, requests, HttpStatusCode.OK,
            _ => "/api/consultations?reference=" + Uri.EscapeDataString(references[random.Next(references.Count)]));
        string[] rare = ["piscine", "desamiantage", "cesaire", "photocopieurs", "traiteur", "strasbourg", "biosources", "benne"];
        string[] common = ["travaux", "fourniture", "marseille", "entretien", "ecole", "maintenance"];
        string[] pairs = ["rehabilitation ecole", "nettoyage locaux", "jean jaures", "vehicules electriques", "espaces verts", "eclairage public"];
        await MeasureAsync("keywords, one rare word (page)", client, requests, HttpStatusCode.OK, i => "/?q=" + Uri.EscapeDataString(rare[i % rare.Length]));
        await MeasureAsync("keywords, one common word (page)", client, requests, HttpStatusCode.OK, i => "/?q=" + Uri.EscapeDataString(common[i % common.Length]));
        await MeasureAsync("keywords, two words (page)", client, requests, HttpStatusCode.OK, i => "/?q=" + Uri.EscapeDataString(pairs[i % pairs.Length]));
        await MeasureAsync("keywords, two words (API)", client, requests, HttpStatusCode.OK, i => "/api/consultations?q=" + Uri.EscapeDataString(pairs[i % pairs.Length]));
        // Again, once everything ran: tells the first lines' warm-up (JIT tiers, caches) from their own cost.
        await MeasureAsync("keywords, one rare word (page, again)", client, requests, HttpStatusCode.OK, i => "/?q=" + Uri.EscapeDataString(rare[i % rare.Length]));
        await MeasureAsync("list, first page (no criteria)", client, requests, HttpStatusCode.OK, _ => "/");
        // Deep pages read and skip page × 20 rows: few of them, they are slow.
        await MeasureAsync("list, pages 1000-3000", client, Math.Max(20, requests / 5), HttpStatusCode.OK, i => "/?page=" + (1000 + i % 2000));
        Console.WriteLine("the search service alone (no HTTP, no rendering):");
        PortalCriteria Keywords(string q) => new() { Words = q.Split(' '), RawKeywords = q };
        await MeasureServiceAsync("  one rare word", app, requests, i => Keywords(rare[i % rare.Length]));
        await MeasureServiceAsync("  one common word", app, requests, i => Keywords(common[i % common.Length]));
        await MeasureServiceAsync("  two words", app, requests, i => Keywords(pairs[i % pairs.Length]));
        foreach (var pair in pairs)
        {
            await MeasureServiceAsync($"    {pair}", app, Math.Max(20, requests / 5), _ => Keywords(pair));
        }
        await MeasureServiceAsync("  list, first page", app, requests, _ => new PortalCriteria());
        await ExplainAsync(app, references[0]);

        Console.WriteLine($"wrk: {wrkSeconds} s, 2 threads, {wrkConnections} connections; first the static file, then the list page");
        RunWrk(new Uri(baseUrl, "/css/site.css"), wrkSeconds, wrkConnections);
        RunWrk(new Uri(baseUrl, "/"), wrkSeconds, wrkConnections);
        if (Option(args, "--hold-seconds", 0) is > 0 and var hold)
        {
            // Time to try a plan by hand (psql) on the seeded database before it is dropped.
            var database = await app.WithDb(db => Task.FromResult(db.Database.GetDbConnection().Database));
            Console.WriteLine($"holding database {database} for {hold} s");
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }
        return 0;
    }

    /// <summary>Inserts the consultations (each with one DCE file) in batches; returns their references.</summary>
    private static async Task<IReadOnlyList<string>> SeedAsync(PliApp app, int count)
    {
        var catalog = app.Services.GetRequiredService<CpvCatalog>();
        var cpv = new[] { "travaux", "construction", "fourniture", "véhicules", "nettoyage", "informatique", "alimentaires", "services" }
            .SelectMany(w => catalog.Search(w, 15)).DistinctBy(e => e.Code).ToArray();
        var random = new Random(42);
        var start = PliApp.Start.UtcDateTime;
        var organisationIds = await app.WithDb(async db =>
        {
            var organisations = Enumerable.Range(1, 300)
                .Select(i => Organisation.Create($"{(i % 3 == 0 ? "Commune" : i % 3 == 1 ? "Métropole" : "Syndicat")} n°{i} {Places[i % Places.Length]}", null, start))
                .ToList();
            db.Organisations.AddRange(organisations);
            await db.SaveChangesAsync();
            return organisations.Select(o => o.Id).ToArray();
        });

        var references = new List<string>(count);
        const int batch = 2000;
        for (var done = 0; done < count; done += batch)
        {
            await app.WithDb(async db =>
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                for (var i = done; i < Math.Min(count, done + batch); i++)
                {
                    var nature = (Nature)(1 + (i % 3));
                    var title = nature switch
                    {
                        Nature.Travaux => $"{Pick(random, Works)} {Pick(random, Buildings)} {Pick(random, Names)}",
                        Nature.Fournitures => Pick(random, Supplies),
                        _ => Pick(random, Services),
                    };
                    var place = Pick(random, Places);
                    var reference = string.Create(CultureInfo.InvariantCulture, $"{2024 + i % 3}-{(char)('A' + i % 26)}{i:D6}");
                    // 2 % closed: published months ago, deadline passed before the clock's start.
                    var closed = i % 50 == 0;
                    var published = closed ? start.AddDays(-90 - random.Next(200)) : start.AddDays(-random.Next(60));
                    var deadline = closed ? published.AddDays(30) : start.AddHours(1 + random.Next(24 * 120));
                    var details = new ConsultationDetails(reference, title,
                        $"{title} à {place}. {Pick(random, Details)} {Pick(random, Details)}",
                        (ProcedureType)(1 + random.Next(9)), nature, cpv[random.Next(cpv.Length)], place,
                        deadline, deadline.AddDays(-7), FilePolicy.DefaultAcceptedFormats);
                    var consultation = Consultation.CreateDraft(organisationIds[random.Next(organisationIds.Length)], details, published);
                    consultation.AddDceFile("RC.pdf", 123_456, new string('0', 64), $"dce/bench/{i}", published);
                    consultation.Publish(published);
                    db.Consultations.Add(consultation);
                    references.Add(reference);
                }
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync();
            });
        }
        return references;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static async Task MeasureAsync(string label, HttpClient client, int requests, HttpStatusCode expected, Func<int, string> url)
    {
        var warmUp = Math.Max(20, requests / 10);
        var times = new double[requests];
        for (var i = -warmUp; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(url(i + warmUp));
            await response.Content.ReadAsByteArrayAsync();
            clock.Stop();
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{label}: {url(i + warmUp)} answered {(int)response.StatusCode}, not {(int)expected}");
            }
            if (i >= 0)
            {
                times[i] = clock.Elapsed.TotalMilliseconds;
            }
        }
        Print(label, requests, times);
    }

    /// <summary>
    /// The search service alone (PublicConsultations.SearchAsync in a fresh scope, as a request would), without HTTP
    /// and rendering: what the database part of a page costs.
    /// </summary>
    private static async Task MeasureServiceAsync(string label, PliApp app, int requests, Func<int, PortalCriteria> criteria)
    {
        var warmUp = Math.Max(20, requests / 10);
        var times = new double[requests];
        for (var i = -warmUp; i < requests; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var consultations = scope.ServiceProvider.GetRequiredService<PublicConsultations>();
            var clock = Stopwatch.StartNew();
            await consultations.SearchAsync(criteria(i + warmUp) with { CountCap = PortalSearch.CountCap });
            clock.Stop();
            if (i >= 0)
            {
                times[i] = clock.Elapsed.TotalMilliseconds;
            }
        }
        Print(label, requests, times);
    }

    private static void Print(string label, int requests, double[] times)
    {
        Array.Sort(times);
        double P(double q) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-36} n={requests} p50={P(0.50):F1} ms p95={P(0.95):F1} ms p99={P(0.99):F1} ms max={times[^1]:F1} ms"));
    }

    /// <summary>The plans PostgreSQL chose for the portal's queries, as SearchAsync sends them (printed for bench/README.md).</summary>
    private static async Task ExplainAsync(PliApp app, string reference)
    {
        await app.WithDb(async db =>
        {
            var now = PliApp.Start.UtcDateTime;
            var portal = db.Consultations.AsNoTracking().Where(c => c.Status == ConsultationStatus.Published && now <= c.DeadlineUtc);
            IQueryable<Consultation> Words(params string[] words) => PublicConsultations.WithWords(db, portal, words);
            // The list's query as SearchAsync sends it: the card's columns, its lots, and the capped count as a subquery
            // (LIMIT 0 when the page starts beyond the cap, or when the count was read first).
            IQueryable Page(IQueryable<Consultation> q, int skip, int? countLimit = null) =>
                q.OrderBy(c => c.DeadlineUtc).ThenBy(c => c.Reference).ThenBy(c => c.Id).Skip(skip).Take(PortalSearch.DefaultPageSize + 1)
                    .Select(c => new
                    {
                        c.Id, c.Reference, c.Title, c.OrganisationId, c.ServiceId, c.Procedure, c.Nature, c.Status, c.DeadlineUtc, c.PublishedUtc,
                        Lots = c.Lots.OrderBy(l => l.Number).Select(l => new { l.Number, l.Title }).ToList(),
                        Total = q.Take(countLimit ?? (skip > PortalSearch.CountCap ? 0 : PortalSearch.CountCap + 1)).Count(),
                    });
            var key = Consultation.KeyOf(reference);
            var queries = new List<(string Label, IQueryable Query)>
            {
                ("reference", portal.Where(c => c.ReferenceKey == key).Select(c => c.Id)),
                ("one rare keyword: the page (21 cards, their lots, the count up to 1,001)", Page(Words("piscine"), 0)),
                ("one common keyword: the page", Page(Words("travaux"), 0)),
                ("a keyword in ~8 % of the rows: the page", Page(Words("maintenance"), 0)),
                ("two keywords: the page as one query (with its count)", Page(Words("rehabilitation", "ecole"), 0)),
            };
            // What SearchAsync sends for keywords on PostgreSQL: the capped count, then the page (without its count), and
            // over the cap without bitmap scans (PublicConsultations.ReadPageAsync).
            foreach (var pair in new[] { "rehabilitation ecole", "nettoyage locaux", "jean jaures", "vehicules electriques", "espaces verts", "eclairage public" })
            {
                var words = Words(pair.Split(' '));
                queries.Add(($"~two keywords «{pair}»: the count", words.Take(PortalSearch.CountCap + 1).Select(c => c.Id)));
                queries.Add(($"~two keywords «{pair}»: the page (index chosen by PostgreSQL)", Page(words, 0, countLimit: 0)));
                queries.Add(($"!two keywords «{pair}»: the page (no bitmap scan)", Page(words, 0, countLimit: 0)));
            }
            queries.AddRange(new (string Label, IQueryable Query)[]
            {
                ("first page of the list", Page(portal, 0)),
                ("page 2000 of the list (OFFSET 39,980, no count)", Page(portal, 1999 * PortalSearch.DefaultPageSize)),
                ("buyers of the search form (cached 60 s)", db.Organisations.Where(o => db.Consultations.Any(c => c.OrganisationId == o.Id && c.Status == ConsultationStatus.Published)).Select(o => o.Id)),
            });
            await db.Database.OpenConnectionAsync();
            foreach (var (label, query) in queries)
            {
                await using var command = query.CreateDbCommand();
                // "~" and "!": only the plan's scans and times are printed; "!" runs without bitmap scans.
                var brief = label[0] is '~' or '!';
                Console.WriteLine(brief ? $"-- plan: {label[1..]}" : $"-- plan: {label}\n   {command.CommandText.ReplaceLineEndings(" ")}");
                await db.Database.ExecuteSqlRawAsync(label[0] == '!' ? "SET enable_bitmapscan = off" : "RESET enable_bitmapscan");
                command.CommandText = "EXPLAIN (ANALYZE, COSTS OFF) " + command.CommandText;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var line = reader.GetString(0);
                    // "| ": portal.sh drops lines that start with spaces (the host's log continuation lines).
                    if (!brief || line.StartsWith("Planning", StringComparison.Ordinal) || line.StartsWith("Execution", StringComparison.Ordinal)
                        || (line.Contains("Scan", StringComparison.Ordinal) && line.Contains("\"Consultations\"", StringComparison.Ordinal)))
                    {
                        Console.WriteLine("   | " + line);
                    }
                }
            }
        });
    }

    private static void RunWrk(Uri url, int seconds, int connections)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", url.ToString()]) { RedirectStandardOutput = true };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        Console.WriteLine(wrk.StandardOutput.ReadToEnd());
        wrk.WaitForExit();
    }

    private static int Option(string[] args, string name, int fallback) =>
        int.Parse(OptionText(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static string OptionText(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    /// <summary>
    /// The planner's cost of a random page read, for the bench's database (docs/deployment.md, "PostgreSQL settings"):
    /// 1.1 as recommended for SSD or a database held in memory, 4 as PostgreSQL ships it (with 4, the planner prefers
    /// sequential scans to index reads that are cheaper in memory: bench/README.md, "Portal"). Set on the database, so
    /// every connection opened after it (the pools are cleared) has it.
    /// </summary>
    private static async Task SetRandomPageCostAsync(PliApp app, double cost)
    {
        await app.WithDb(async db =>
        {
            var database = db.Database.GetDbConnection().Database;
            var value = cost.ToString("0.0##", CultureInfo.InvariantCulture);
            // Neither the name (the fixture's own) nor the number (parsed above) comes from outside.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"ALTER DATABASE \"{database}\" SET random_page_cost = {value}");
#pragma warning restore EF1002
        });
        NpgsqlConnection.ClearAllPools();
        var applied = await app.WithDb(db => db.Database.SqlQueryRaw<string>("SELECT current_setting('random_page_cost') AS \"Value\"").SingleAsync());
        Console.WriteLine($"random_page_cost = {applied} (PostgreSQL's default: 4)");
    }
}
