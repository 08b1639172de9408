<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop_app/ui/about_dialog.py" line="27"/>
        <source>About Shopdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/about_dialog.py" line="34"/>
        <source>A help desk for people who run an online shop alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/about_dialog.py" line="38"/>
        <source>Qt %1 · PySide6 %2 · Python %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/about_dialog.py" line="47"/>
        <source>Your data: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop_app/app.py" line="92"/>
        <source>The demo shop is ready: try the keys j, k, e and ?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/app.py" line="120"/>
        <source>Shopdesk is already open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentList</name>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="72"/>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="77"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="103"/>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AwayDialog</name>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="77"/>
        <source>While you were away</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/away_dialog.py" line="82"/>
        <location filename="../../desktop_app/ui/away_dialog.py" line="125"/>
        <source>%n reminder(s) fell due while Shopdesk was closed.</source>
        <translation>
            <numerusform>%n reminder fell due while Shopdesk was closed.</numerusform>
            <numerusform>%n reminders fell due while Shopdesk was closed.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="101"/>
        <source>What you neither open nor dismiss here stays in the Due list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="116"/>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AwayRow</name>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="44"/>
        <source>due {when} ({ago})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="50"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="51"/>
        <source>Open: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="52"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/away_dialog.py" line="54"/>
        <source>Dismiss: {title}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchReviewDialog</name>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="58"/>
        <source>Approve review requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="66"/>
        <source>%n review request(s) due. Check each preview, then send.</source>
        <translation>
            <numerusform>%n review request due. Check each preview, then send.</numerusform>
            <numerusform>%n review requests due. Check each preview, then send.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="74"/>
        <source>Review requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="79"/>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="80"/>
        <source>Preparing the replies…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="92"/>
        <source>Send selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="132"/>
        <source>No review request is due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="146"/>
        <source>This request cannot be made yet:
{problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="150"/>
        <source>To: {to}
Subject: {subject}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/batch_review_dialog.py" line="169"/>
        <source>Send %n selected</source>
        <translation>
            <numerusform>Send %n selected</numerusform>
            <numerusform>Send %n selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseList</name>
    <message>
        <location filename="../../desktop_app/ui/case_list.py" line="25"/>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseModel</name>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/case_columns.py" line="49"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/case_columns.py" line="51"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/case_columns.py" line="52"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="120"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="121"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="122"/>
        <source>Last message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="123"/>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="124"/>
        <source>Lang.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="125"/>
        <source>Unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_model.py" line="408"/>
        <source>The customer&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_model.py" line="472"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_model.py" line="481"/>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="100"/>
        <source>No order</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/case_columns.py" line="105"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="107"/>
        <source>starred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/case_columns.py" line="110"/>
        <source>waiting {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="75"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="75"/>
        <source>New message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="150"/>
        <source>Suggested: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="158"/>
        <source>Your draft is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="199"/>
        <source>The message is still opening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="202"/>
        <source>Add who the message goes to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="204"/>
        <source>A template is still being filled in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="206"/>
        <source>The text still holds template code ({{ or {%): fill it in first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="208"/>
        <source>The message is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="220"/>
        <source>From: {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="221"/>
        <source>To: {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="224"/>
        <source>Cc: {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="225"/>
        <source>Subject: {subject}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/composer.py" line="228"/>
        <source>Attached: {names}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="111"/>
        <source>Select a case to read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="136"/>
        <location filename="../../desktop_app/ui/conversation.py" line="409"/>
        <source>Internal notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="142"/>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="143"/>
        <source>A note for yourself; the customer never sees it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="181"/>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="309"/>
        <source>Shopdesk does not open this kind of link: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="316"/>
        <source>Open this link?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="318"/>
        <source>The link reads “{text}” but really leads to:

{url}

Open it only if you trust it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="321"/>
        <source>Open link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="357"/>
        <source>Save “{name}” in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="367"/>
        <source>Saved {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="375"/>
        <source>Open a program?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="377"/>
        <source>“{name}” can run code on this computer. Open it only if you expected it from this customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="380"/>
        <source>Open anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/conversation.py" line="424"/>
        <source>Internal notes: none yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="20"/>
        <source>Demo shop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="25"/>
        <source>&lt;b&gt;You are looking at a demo shop.&lt;/b&gt; Its mail is made up; try anything, nothing is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="30"/>
        <source>Add your mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="31"/>
        <source>Remove demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="33"/>
        <source>Removes the demo shop and all its mail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="64"/>
        <source>Shopdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="100"/>
        <location filename="../../desktop_app/ui/main_window.py" line="109"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="102"/>
        <source>Search ( / ) — words, from:, order:, is:unread, status:, tag:, before:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="107"/>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="108"/>
        <source>Sync now (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="150"/>
        <source>Offline — changes will sync later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="163"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="164"/>
        <source>Add your mailbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="170"/>
        <source>&amp;Templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="171"/>
        <source>&amp;Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="172"/>
        <source>&amp;Reminder settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="176"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="180"/>
        <source>&amp;Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="190"/>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="193"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="265"/>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/main_window.py" line="319"/>
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n change waiting to sync</numerusform>
            <numerusform>%n changes waiting to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/main_window.py" line="325"/>
        <source>%n case(s) found</source>
        <translation>
            <numerusform>%n case found</numerusform>
            <numerusform>%n cases found</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="336"/>
        <source>No mailbox yet.
Add your mailbox (File → Add your mailbox…) and your customers&apos; mail shows up here as cases.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="340"/>
        <source>No case matches this search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="342"/>
        <source>No cases here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="435"/>
        <source>Undone: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="471"/>
        <source>Added {name}; syncing it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="477"/>
        <source>Removing the demo shop…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="481"/>
        <source>The demo shop is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="487"/>
        <source>Sync is not running in this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="494"/>
        <source>Synced at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="496"/>
        <source>Sync did not finish at {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/main_window.py" line="498"/>
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageCard</name>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="166"/>
        <source>Message from {sender}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="217"/>
        <source>Show for this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="229"/>
        <source>Message text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="233"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="237"/>
        <location filename="../../desktop_app/ui/message_card.py" line="349"/>
        <source>Show quoted text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="243"/>
        <source>Quoted text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="255"/>
        <location filename="../../desktop_app/ui/message_card.py" line="313"/>
        <source>View source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="267"/>
        <source>(unknown sender)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="277"/>
        <source>{name} (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="310"/>
        <source>This message could not be read completely: {problems}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="319"/>
        <source>Remote images blocked ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="321"/>
        <source>this sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="322"/>
        <source>Always for {sender}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="340"/>
        <source>To: {to}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="342"/>
        <source>Cc: {cc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="349"/>
        <source>Hide quoted text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="371"/>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="372"/>
        <source>Save {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="377"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="378"/>
        <source>Open {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MissingValuesForm</name>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="138"/>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="139"/>
        <source>Fill in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_parts.py" line="154"/>
        <source>“{title}” needs values this case does not have:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="202"/>
        <source>Add a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="204"/>
        <source>Internal note (the customer never sees it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="206"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="208"/>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderPanel</name>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="80"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="82"/>
        <source>No order linked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="101"/>
        <source>Platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="102"/>
        <source>Placed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="103"/>
        <source>Shipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="104"/>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="105"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="106"/>
        <source>Ship to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="107"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="108"/>
        <source>Carrier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="109"/>
        <source>Tracking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="120"/>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="123"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="123"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="123"/>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="123"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/order_panel.py" line="138"/>
        <source>Order {number}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxController</name>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="208"/>
        <source>Too late to undo: the reply is on its way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="211"/>
        <source>Not sent. The reply is back in the composer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/outbox_view.py" line="231"/>
        <source>%n reply(s) sent</source>
        <translation>
            <numerusform>%n reply sent</numerusform>
            <numerusform>%n replys sent</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="255"/>
        <source>Offline — the reply will be sent when you are back online</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="274"/>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="287"/>
        <source>Nothing waits to be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="288"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="289"/>
        <source>Cancel sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="290"/>
        <source>Send now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="291"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="39"/>
        <source>Sign in with Google; with 2-Step Verification on, an app password works too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="42"/>
        <source>Outlook.com takes no passwords over IMAP any more: sign in with Microsoft.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="45"/>
        <source>Your administrator must allow IMAP and authenticated SMTP for this mailbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="48"/>
        <source>Use an app-specific password from appleid.apple.com, not your Apple ID password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="52"/>
        <source>Use an app password made in your Yahoo account settings, not your usual one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="55"/>
        <source>Use an app password made in your Fastmail account settings, not your usual one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="59"/>
        <source>Turn on “POP3/IMAP access” in the GMX settings first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="60"/>
        <source>Turn on “POP3/IMAP access” in the WEB.DE settings first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="61"/>
        <source>With two-factor sign-in on, use an app-specific password from Zoho&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="64"/>
        <source>Your mail host names its servers in its help pages; test the connection to be sure.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueList</name>
    <message>
        <location filename="../../desktop_app/ui/queue_list.py" line="76"/>
        <source>Queues</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="29"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="30"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="31"/>
        <source>Waiting on customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="32"/>
        <source>Snoozed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="33"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="34"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="35"/>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="61"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/queue_model.py" line="62"/>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/queue_model.py" line="158"/>
        <source>%n reminder(s) due</source>
        <translation>
            <numerusform>%n reminder due</numerusform>
            <numerusform>%n reminders due</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/queue_model.py" line="160"/>
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n case</numerusform>
            <numerusform>%n cases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/queue_model.py" line="162"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReminderActions</name>
    <message>
        <location filename="../../desktop_app/ui/reminder_actions.py" line="89"/>
        <source>Reminders could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_actions.py" line="139"/>
        <source>Snoozed until {when}: {title} (z: undo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_actions.py" line="151"/>
        <source>Dismissed: {title} (z: undo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_actions.py" line="165"/>
        <source>Back in the Due list: {title}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="26"/>
        <source>Reminders due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="31"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="32"/>
        <source>Show the reminders due</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/notifier.py" line="38"/>
        <source>%n reminder(s) due</source>
        <translation>
            <numerusform>%n reminder due</numerusform>
            <numerusform>%n reminders due</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="39"/>
        <source>follow-ups waiting for you</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderModel</name>
    <message>
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="38"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="41"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="44"/>
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="47"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="49"/>
        <source>in {span}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/models/reminder_model.py" line="50"/>
        <source>{span} ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderSettingsDialog</name>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="88"/>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="89"/>
        <source>Reminder settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="105"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="113"/>
        <source>Save reminder settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="143"/>
        <source>Waiting on the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="144"/>
        <source>Remind me when my question gets no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="145"/>
        <source>Days without an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="145"/>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="161"/>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="163"/>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="259"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="147"/>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="228"/>
        <source>After:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="151"/>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="152"/>
        <source>Snoozed cases come back at their time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="153"/>
        <source>…or at once when the customer writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="159"/>
        <source>Review request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="160"/>
        <source>Offer a review request after delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="161"/>
        <source>Days after delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="163"/>
        <source>Default transit days, when no delivery notice came</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="166"/>
        <source>Delivery is taken as the shipping date plus this, when no notice says so.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="169"/>
        <source>Days after delivery (7-15):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="170"/>
        <source>Default transit time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="174"/>
        <source>Replenishment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="175"/>
        <source>Offer a refill reminder after a purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="177"/>
        <source>delivery (else the order date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="178"/>
        <source>the order date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="179"/>
        <source>Count the interval from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="182"/>
        <source>Product, SKU prefix or category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="182"/>
        <source>Days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="184"/>
        <source>Replenishment intervals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="190"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="191"/>
        <source>Add a replenishment interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="193"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="194"/>
        <source>Remove the selected interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="201"/>
        <source>Count from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="207"/>
        <source>Birthdays and anniversaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="208"/>
        <source>Customer birthdays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="209"/>
        <source>Customer anniversaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="212"/>
        <source>Greetings fall due at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="215"/>
        <source>Due at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="219"/>
        <source>First response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="220"/>
        <source>Flag customer mail left unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="225"/>
        <source> working hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="226"/>
        <source>First-response goal in working hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="232"/>
        <source>The shop&apos;s time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="239"/>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="241"/>
        <source>Working hours start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="243"/>
        <source>Working hours end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="246"/>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="259"/>
        <source>List due reminders from the last days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="261"/>
        <source>Time zone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="262"/>
        <source>Working hours:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="263"/>
        <source>Working days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="264"/>
        <source>List due reminders from the last:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="315"/>
        <source>Replenishment: “{days}” is not a number of days ({match}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="316"/>
        <source>row {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminder_settings.py" line="411"/>
        <source>The reminder settings could not be read or saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderTable</name>
    <message>
        <location filename="../../desktop_app/ui/reminders_view.py" line="47"/>
        <source>Reminders due</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemindersUi</name>
    <message>
        <location filename="../../desktop_app/ui/reminders_ui.py" line="114"/>
        <source>Choose a reminder first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminders_ui.py" line="120"/>
        <source>x dismisses a reminder in the Due list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminders_ui.py" line="167"/>
        <source>No review request is due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/reminders_ui.py" line="171"/>
        <source>%n review request(s) due {when}. Check each preview, then send the ones you want.</source>
        <translation>
            <numerusform>%n review request due {when}. Check each preview, then send the ones you want.</numerusform>
            <numerusform>%n review requests due {when}. Check each preview, then send the ones you want.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminders_ui.py" line="174"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/reminders_ui.py" line="184"/>
        <source>%n review request(s) queued to send</source>
        <translation>
            <numerusform>%n review request queued to send</numerusform>
            <numerusform>%n review requests queued to send</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemindersView</name>
    <message>
        <location filename="../../desktop_app/ui/reminders_view.py" line="106"/>
        <source>Approve review requests…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminders_view.py" line="109"/>
        <source>Enter: write the reply · b: snooze · x or Delete: dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reminders_view.py" line="112"/>
        <source>Nothing is due. Reminders come back here when they fall due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/reminders_view.py" line="138"/>
        <source>%n reminder(s) due</source>
        <translation>
            <numerusform>%n reminder due</numerusform>
            <numerusform>%n reminders due</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReplyActions</name>
    <message>
        <location filename="../../desktop_app/ui/reply_actions.py" line="67"/>
        <source>Choose a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/reply_actions.py" line="107"/>
        <source>%n waiting to send</source>
        <translation>
            <numerusform>%n waiting to send</numerusform>
            <numerusform>%n waiting to send</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewBatch</name>
    <message>
        <location filename="../../desktop_app/ui/review_batch.py" line="119"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SendBar</name>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="63"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="64"/>
        <source>Undo sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/outbox_view.py" line="87"/>
        <source>Sending in {n} s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="40"/>
        <source>{what} host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="42"/>
        <source>{what} security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="43"/>
        <source>SSL/TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="44"/>
        <source>STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="45"/>
        <source>None (this computer only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="49"/>
        <source>{what} port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="50"/>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="53"/>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/server_box.py" line="55"/>
        <source>Security:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="94"/>
        <source>Add your mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="106"/>
        <source>Shopdesk reads your shop&apos;s support mailbox over IMAP and keeps a copy on this computer. Your password or sign-in is kept in the system keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="115"/>
        <source>E-mail address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="116"/>
        <source>E-mail address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="118"/>
        <source>Mail provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="121"/>
        <source>Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="131"/>
        <source>Account name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="132"/>
        <source>Name in Shopdesk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="134"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="135"/>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="138"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="139"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="143"/>
        <source>Use an app password instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="148"/>
        <source>Server settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="157"/>
        <source>Incoming mail (IMAP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="159"/>
        <source>Outgoing mail (SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="173"/>
        <source>Trust this certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="180"/>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="183"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="184"/>
        <source>Retry adding the mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="189"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="192"/>
        <source>Add mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="224"/>
        <source>Gmail or Google Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="226"/>
        <source>Other mail host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="326"/>
        <source>Enter the e-mail address of your shop&apos;s mailbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="328"/>
        <source>Enter the IMAP server (your provider names it, e.g. imap.gmail.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="332"/>
        <source>Without encryption {what} would send your password in the clear: choose SSL/TLS or STARTTLS (no encryption is only for a server on this computer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="337"/>
        <source>Sign in with {name} to connect this mailbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="341"/>
        <source>Enter the mailbox password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="383"/>
        <source>Connecting to {host}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="400"/>
        <source>Connected — {count} folders found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="414"/>
        <source>{problem}
Its SHA-256 fingerprint is {fingerprint}. If you know this server uses its own certificate (check the fingerprint with your provider), tick “Trust this certificate” and test again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="419"/>
        <source>Trust this certificate ({short}…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="424"/>
        <source>{host} did not accept this sign-in for {user}. Sign in again with that account (the browser may have used another one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="430"/>
        <source>{host} refused the username or password for {user}. Check them; some providers need an app password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="436"/>
        <source>The test failed unexpectedly ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/setup_dialog.py" line="481"/>
        <source>The mailbox could not be added: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="32"/>
        <source>Next case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="33"/>
        <source>Previous case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="34"/>
        <source>Open the case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="35"/>
        <source>Back to the case list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="36"/>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="37"/>
        <source>Delete (to Trash)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="38"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="39"/>
        <source>Reply to all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="40"/>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="41"/>
        <source>Write a new message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="42"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="43"/>
        <source>Star or unstar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="44"/>
        <source>Mark as read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="45"/>
        <source>Mark as unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="46"/>
        <source>Undo the last action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="47"/>
        <source>Waiting on customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="48"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="49"/>
        <source>Open again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="50"/>
        <source>Snooze until …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="51"/>
        <source>Dismiss a reminder (Due)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="52"/>
        <source>Tags …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="53"/>
        <source>Add an internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="54"/>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/shortcuts.py" line="55"/>
        <source>This sheet of shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="234"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="237"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="237"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="253"/>
        <source>Single-key shortcuts do not fire while you type in a field.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInAgainDialog</name>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="196"/>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="200"/>
        <source>Shopdesk can no longer reach {email}: its {name} sign-in expired or was revoked. Sign in again to go on syncing and sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="225"/>
        <source>Checking the sign-in with {host}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInBar</name>
    <message>
        <location filename="../../desktop_app/ui/sign_in_bar.py" line="30"/>
        <source>Sign-in expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_bar.py" line="36"/>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_bar.py" line="68"/>
        <source>&lt;b&gt;Shopdesk cannot reach {emails}:&lt;/b&gt; the sign-in expired or was revoked. Mail is not synced or sent until you sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInBox</name>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="65"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="66"/>
        <source>Cancel the sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="92"/>
        <source>Sign in with {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="123"/>
        <source>Waiting for you to finish in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="127"/>
        <source>Your browser did not open. Open this address in it to sign in:
{url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="165"/>
        <source>Signed in as {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/signin.py" line="171"/>
        <source>Sign-in cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SnoozeDialog</name>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="78"/>
        <source>Snooze until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="81"/>
        <source>Later today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="82"/>
        <source>Tomorrow morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="83"/>
        <source>Next Monday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="84"/>
        <source>In a week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="94"/>
        <source>Pick a date and time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="99"/>
        <source>Custom snooze time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="104"/>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="60"/>
        <source>Source of “{subject}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/message_card.py" line="66"/>
        <source>Message source</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../desktop_app/ui/sync_controller.py" line="113"/>
        <source>Syncing {account}: {folder} {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TagsDialog</name>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="144"/>
        <location filename="../../desktop_app/ui/dialogs.py" line="148"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="157"/>
        <source>New tags (separated by commas):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="159"/>
        <source>New tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="160"/>
        <source>e.g. refund, wholesale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/dialogs.py" line="162"/>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskManager</name>
    <message>
        <location filename="../../desktop_app/ui/taskman.py" line="109"/>
        <source>Something went wrong: {name}. Details are in the log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="64"/>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="122"/>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="122"/>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="130"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="222"/>
        <source>Subject: {subject}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="233"/>
        <source>Choose a case in the main window to preview with its order and customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="243"/>
        <source>A template needs a title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="257"/>
        <source>New template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="266"/>
        <source>My replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="281"/>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="295"/>
        <location filename="../../desktop_app/ui/template_editor.py" line="297"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="296"/>
        <source>Delete “{title}” ({language})?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="309"/>
        <source>Import templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="309"/>
        <source>Templates (*.j2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/template_editor.py" line="318"/>
        <source>%n template(s) imported</source>
        <translation>
            <numerusform>%n template imported</numerusform>
            <numerusform>%n templates imported</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="323"/>
        <source>Export templates to</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/template_editor.py" line="331"/>
        <source>%n template(s) exported</source>
        <translation>
            <numerusform>%n template exported</numerusform>
            <numerusform>%n templates exported</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="335"/>
        <source>A short name (letters, digits, _):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_editor.py" line="341"/>
        <source>Use only small letters, digits and _ in the name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplateFilling</name>
    <message>
        <location filename="../../desktop_app/ui/compose_templates.py" line="31"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_templates.py" line="134"/>
        <source>The template was edited, so it stays in its first language.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/notifier.py" line="71"/>
        <source>%n reminder(s) newly due</source>
        <translation>
            <numerusform>%n reminder newly due</numerusform>
            <numerusform>%n reminders newly due</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="74"/>
        <source>Shopdesk reminders</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TriageActions</name>
    <message>
        <location filename="../../desktop_app/ui/triage_actions.py" line="65"/>
        <source>Choose a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/triage_actions.py" line="106"/>
        <source>Nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="52"/>
        <source>Last action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="54"/>
        <source>Undo (z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bars.py" line="55"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>c</name>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="40"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="42"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="43"/>
        <source>customer@example.com, …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="45"/>
        <source>Cc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="47"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="48"/>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="49"/>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="50"/>
        <source>Cc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="51"/>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="55"/>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="57"/>
        <source>Insert a canned reply (or type ; and its shortcut)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="67"/>
        <source>Reply language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="68"/>
        <source>The language of the reply and of its templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="72"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="77"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="79"/>
        <source>Write here — type ;ship for the shipping reply, ; and a shortcut for any template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="86"/>
        <source>Show the quoted message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="98"/>
        <source>Quoted message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="124"/>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="128"/>
        <source>&lt;b&gt;Preview&lt;/b&gt; — this is what the customer gets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="134"/>
        <source>Attach…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="135"/>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="136"/>
        <source>Back to editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="137"/>
        <source>Preview (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/compose_view.py" line="138"/>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>e</name>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="36"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="39"/>
        <source>All languages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="41"/>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="43"/>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="44"/>
        <source>Duplicate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="45"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="46"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="47"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="70"/>
        <source>ship  (typed as ;ship in the composer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="76"/>
        <source>Template text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="79"/>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="80"/>
        <source>Title:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="81"/>
        <source>Category:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="82"/>
        <source>Shortcut:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="83"/>
        <source>Answers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="84"/>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="92"/>
        <source>Variables: {{ customer.first_name }}, {{ order.number }}, {{ order.tracking_url }}, {{ order.total | money(order.currency) }}, {{ shop.signature }} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="101"/>
        <source>Preview with the case chosen in the main window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="110"/>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="114"/>
        <source>&lt;b&gt;Preview&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="127"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/template_form.py" line="129"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../desktop_app/ui/about_dialog.py" line="73"/>
        <source>&amp;About Shopdesk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
