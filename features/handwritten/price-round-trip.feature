# Hand-written by QA: a product price travels Keap -> WebCRM as text and comes back a number.
@keap_to_webcrm @keap @webcrm @price
Feature: A product price round trip between Keap and WebCRM
  Keap holds product_price as a number; the document sends it to WebCRM's ProductPrice as
  "string", WebCRM stores it as a number (docs/design.md#api-types), and an edit in WebCRM comes back
  to Keap as a number again.

  Background:
    Given the dataflow document "dataflows/keap-to-webcrm.rst"

  Scenario: A Keap price arrives in WebCRM as text and reads back as the same amount
    Given a Keap Product with:
      | product_price | 1250.5 |
    When the dataflows are synchronized
    Then Webcrm received ProductPrice as "string"
    And the Webcrm Products has:
      | ProductPrice | 1250.5 |
    And the Keap Product is linked to exactly one Webcrm Products

  Scenario: A price edited in WebCRM comes back to Keap as a number
    Given a Keap Product with:
      | product_price | 1250.5 |
    When the dataflows are synchronized
    And the Webcrm Products is edited with:
      | ProductPrice | 99.9 |
    And the dataflows are synchronized again
    Then the Keap Product has:
      | product_price | 99.9 |
    And the Keap Product is linked to exactly one Webcrm Products
