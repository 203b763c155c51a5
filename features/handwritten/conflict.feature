# Hand-written by QA: the same property edited on both sides between two runs.
@keap_to_webcrm @keap @webcrm @conflict
Feature: A conflict between Keap and WebCRM
  When both sides changed the same property since the last sync, the latest modification
  wins. Keap Companies carry no modified timestamp, so Keap's change counts as made when
  the run reads it (docs/design.md#reading-changes): later than the edit made in WebCRM before the run.

  Background:
    Given the dataflow document "dataflows/keap-to-webcrm.rst"

  Scenario: A company name edited in both systems ends the same in both
    Given a Keap Companies with:
      | company_name | Fjord Shipping AS |
    When the dataflows are synchronized
    And the Webcrm Organisations is edited with:
      | OrganisationName | Fjord Shipping ASA |
    And the Keap Companies is edited with:
      | company_name | Fjord Shipping Group AS |
    And the dataflows are synchronized again
    Then the Webcrm Organisations has:
      | OrganisationName | Fjord Shipping Group AS |
    And the Keap Companies has:
      | company_name | Fjord Shipping Group AS |
    And the Keap Companies is linked to exactly one Webcrm Organisations

  Scenario: Hard text edited in WebCRM settles in both systems
    Given a Keap Companies with:
      | company_name | Nordlys "Lys" & Co |
    When the dataflows are synchronized
    And the Webcrm Organisations is edited with:
      | OrganisationName | Nordlys \| Lys |
    And the dataflows are synchronized again
    And the dataflows are synchronized again
    Then the Keap Companies has:
      | company_name | Nordlys \| Lys |
    And the Webcrm Organisations has:
      | OrganisationName | Nordlys \| Lys |
