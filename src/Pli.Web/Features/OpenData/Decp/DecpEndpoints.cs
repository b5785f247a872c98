using System.Globalization;

namespace Pli.Web.Features.OpenData.Decp;

/// <summary>
/// GET /donnees-essentielles/{acheteurSiret}/{yyyy}.json and /{yyyy-MM}.json: the essential data of a
/// buyer's contracts notified in that year or month, public (they are published open data), at a stable
/// address; GET /donnees-essentielles/schema.json: the schema they follow.
/// </summary>
public static class DecpEndpoints
{
    public static IEndpointRouteBuilder MapDecp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/donnees-essentielles/{siret}/{period}.json", MarchesAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/donnees-essentielles/schema.json", () => Results.Stream(DecpService.OpenSchema(), "application/schema+json")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> MarchesAsync(string siret, string period, DecpService decp, CancellationToken cancellationToken)
    {
        if (siret.Length != 14 || !siret.All(char.IsAsciiDigit))
        {
            return Results.NotFound();
        }
        int year;
        int? month = null;
        if (DateOnly.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var monthly))
        {
            (year, month) = (monthly.Year, monthly.Month);
        }
        else if (period.Length != 4 || !int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 2000)
        {
            return Results.NotFound();
        }
        var json = await decp.MarchesAsync(siret, year, month, cancellationToken);
        return Results.Text(json.ToJsonString(DecpService.Json), "application/json; charset=utf-8");
    }
}
