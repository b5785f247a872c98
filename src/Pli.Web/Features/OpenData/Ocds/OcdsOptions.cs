using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Features.OpenData.Ocds;

public sealed class OcdsOptions
{
    public const string Section = "OpenData";

    /// <summary>
    /// The ocid prefix: "ocds-" and six characters. The default is a placeholder: a publisher registers its own
    /// prefix with the OCDS helpdesk (data@open-contracting.org) before publishing for real.
    /// </summary>
    [Required]
    [RegularExpression("^ocds-[a-z0-9]{6}$", ErrorMessage = "OpenData:OcidPrefix must be \"ocds-\" and six lower-case letters or digits, as the OCDS helpdesk registers them.")]
    public string OcidPrefix { get; set; } = "ocds-pli000";

    /// <summary>Who publishes the data (the platform's operator), named in every package.</summary>
    [Required]
    public string PublisherName { get; set; } = "Pli";

    /// <summary>The publisher's SIRET, if any: given in the package as its identifier.</summary>
    public string? PublisherSiret { get; set; }

    /// <summary>The licence of the data: the Licence Ouverte 2.0 of Etalab, as for French public data.</summary>
    [Required]
    [Url]
    public string License { get; set; } = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

    /// <summary>The page stating what is published, when and how (the operator's publication policy); omitted when unset.</summary>
    [Url]
    public string? PublicationPolicyUrl { get; set; }

    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;
}
