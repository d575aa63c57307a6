<?php
// Saves each `*.wiki` file of a folder as a page of a throwaway MediaWiki and prints, as one
// JSON object by page title, what MediaWiki stored (after the pre-save transform) and what it
// rendered, with everything the parse recorded: links, templates, categories, page
// properties. Run by tests/mediawiki.rs as
// `php render.php --conf WIKI/LocalSettings.php FOLDER`; one process for all pages, since
// starting MediaWiki costs more than parsing a page.
//
// It must never touch a wiki other than the one its `--conf` names.

$IP = getenv('MW_INSTALL_PATH') ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";

use MediaWiki\MediaWikiServices;
use MediaWiki\Revision\SlotRecord;

class KroniekRender extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addArg( 'folder', 'folder of .wiki files; the file name is the page title' );
	}

	public function execute() {
		$services = MediaWikiServices::getInstance();
		$user = User::newSystemUser( 'Kroniek test', [ 'steal' => true ] );
		$result = [];
		$files = glob( $this->getArg( 0 ) . '/*.wiki' );
		sort( $files );
		foreach ( $files as $file ) {
			$name = rawurldecode( basename( $file, '.wiki' ) );
			$result[$name] = $this->page( $services, $user, $name, file_get_contents( $file ) );
		}
		DeferredUpdates::doUpdates();
		foreach ( $result as $name => &$page ) {
			if ( isset( $page['id'] ) ) {
				$page['tables'] = $this->tables( $page['id'] );
			}
		}
		print json_encode( $result, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
	}

	private function page( $services, $user, $name, $text ) {
		$title = Title::newFromText( $name );
		if ( !$title ) {
			return [ 'saved' => false, 'error' => 'invalid title' ];
		}
		$page = $services->getWikiPageFactory()->newFromTitle( $title );
		$content = ContentHandler::makeContent( $text, $title );
		$status = $page->doUserEditContent( $content, $user, 'kroniek test', EDIT_INTERNAL );
		if ( !$status->isOK() ) {
			return [ 'saved' => false, 'error' => $status->getWikiText( false, false, 'en' ) ];
		}
		$page = $services->getWikiPageFactory()->newFromTitle( $title );
		$revision = $page->getRevisionRecord();
		$stored = $revision->getContent( SlotRecord::MAIN )->getText();
		$output = $page->getParserOutput( ParserOptions::newFromAnon(), null, true );
		return [
			'saved' => true,
			'id' => $page->getId(),
			'stored' => $stored,
			'html' => $output->getText( [ 'enableSectionEditLinks' => false ] ),
			'links' => $this->names( $output->getLinks() ),
			'templates' => $this->names( $output->getTemplates() ),
			'categories' => array_map( 'strval', array_keys( $output->getCategories() ) ),
			'properties' => $output->getPageProperties(),
			'interwiki' => $this->names( $output->getInterwikiLinks() ),
			'languages' => $output->getLanguageLinks(),
			'images' => array_map( 'strval', array_keys( $output->getImages() ) ),
			'external' => array_map( 'strval', array_keys( $output->getExternalLinks() ) ),
		];
	}

	/** "ns:dbkey" for each entry of a ParserOutput link table. */
	private function names( $table ) {
		$names = [];
		foreach ( $table as $ns => $keys ) {
			foreach ( $keys as $key => $_ ) {
				$names[] = "$ns:$key";
			}
		}
		return $names;
	}

	/** How many rows the page has in each links table, as the wiki stored them. */
	private function tables( $id ) {
		$db = wfGetDB( DB_REPLICA );
		$rows = [];
		foreach ( [
			'pagelinks' => 'pl_from', 'templatelinks' => 'tl_from', 'categorylinks' => 'cl_from',
			'page_props' => 'pp_page', 'imagelinks' => 'il_from', 'iwlinks' => 'iwl_from',
			'langlinks' => 'll_from',
		] as $table => $field ) {
			$rows[$table] = (int)$db->selectField( $table, 'COUNT(*)', [ $field => $id ], __METHOD__ );
		}
		return $rows;
	}
}

$maintClass = KroniekRender::class;
require_once RUN_MAINTENANCE_IF_MAIN;
